// The subset of onnx.proto (field numbers from the public ONNX schema) that the loader needs, as a
// protobufjs JSON descriptor. Payload fields that can be huge are deliberately absent
// (float_data=4, int32_data=5, string_data=6, double_data=10, uint64_data=11, graph attributes):
// the decoder skips unknown fields by their length prefix without copying them. raw_data (9) is
// kept because protobufjs returns it as a view into the input (no copy), and small int64 tensors
// (Reshape targets, Pad amounts) need their values.

import protobuf from "protobufjs/light.js";

const repeated = (type: string, id: number) => ({ rule: "repeated", type, id });

export const ONNX_DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 },
            producerName: { type: "string", id: 2 },
            producerVersion: { type: "string", id: 3 },
            domain: { type: "string", id: 4 },
            modelVersion: { type: "int64", id: 5 },
            graph: { type: "GraphProto", id: 7 },
            opsetImport: repeated("OperatorSetIdProto", 8),
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
        GraphProto: {
          fields: {
            node: repeated("NodeProto", 1),
            name: { type: "string", id: 2 },
            initializer: repeated("TensorProto", 5),
            input: repeated("ValueInfoProto", 11),
            output: repeated("ValueInfoProto", 12),
            valueInfo: repeated("ValueInfoProto", 13),
          },
        },
        NodeProto: {
          fields: {
            input: repeated("string", 1),
            output: repeated("string", 2),
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            attribute: repeated("AttributeProto", 5),
            domain: { type: "string", id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            f: { type: "float", id: 2 },
            i: { type: "int64", id: 3 },
            s: { type: "bytes", id: 4 },
            t: { type: "TensorProto", id: 5 },
            floats: repeated("float", 7),
            ints: repeated("int64", 8),
            type: { type: "int32", id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: repeated("int64", 1),
            dataType: { type: "int32", id: 2 },
            int64Data: repeated("int64", 7),
            name: { type: "string", id: 8 },
            rawData: { type: "bytes", id: 9 },
            dataLocation: { type: "int32", id: 14 },
          },
        },
        ValueInfoProto: { fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } } },
        TypeProto: { fields: { tensorType: { type: "TypeProtoTensor", id: 1 } } },
        TypeProtoTensor: { fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
        TensorShapeProto: { fields: { dim: repeated("Dimension", 1) } },
        Dimension: { fields: { dimValue: { type: "int64", id: 1 }, dimParam: { type: "string", id: 2 } } },
      },
    },
  },
};

/** int64 fields decode as numbers or Long objects depending on the runtime. */
export type Int64 = number | { toNumber(): number };

export interface OnnxDim { dimValue?: Int64; dimParam?: string }
export interface OnnxValueInfo { name?: string; type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDim[] } } } }
export interface OnnxTensor { dims?: Int64[]; dataType?: number; int64Data?: Int64[]; name?: string; rawData?: Uint8Array; dataLocation?: number }
export interface OnnxAttribute { name?: string; f?: number; i?: Int64; s?: Uint8Array; t?: OnnxTensor; floats?: number[]; ints?: Int64[]; type?: number }
export interface OnnxNode { input?: string[]; output?: string[]; name?: string; opType?: string; attribute?: OnnxAttribute[]; domain?: string }
export interface OnnxGraph { node?: OnnxNode[]; name?: string; initializer?: OnnxTensor[]; input?: OnnxValueInfo[]; output?: OnnxValueInfo[]; valueInfo?: OnnxValueInfo[] }
export interface OnnxModel { irVersion?: Int64; producerName?: string; producerVersion?: string; graph?: OnnxGraph; opsetImport?: { domain?: string; version?: Int64 }[] }

let root: protobuf.Root | undefined;
export function onnxRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
  return root;
}

/** Thrown with the byte offset the decoder had reached when the data stopped making sense. */
export class OnnxDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function decodeModel(bytes: Uint8Array): OnnxModel {
  const reader = protobuf.Reader.create(bytes);
  try {
    return onnxRoot().lookupType("onnx.ModelProto").decode(reader) as unknown as OnnxModel;
  } catch (e) {
    throw new OnnxDecodeError(e instanceof Error ? e.message : String(e), reader.pos);
  }
}

export function toNum(v: Int64 | undefined): number {
  if (v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}

/** ONNX TensorProto.DataType values that hold learned weights (float types). */
export const FLOAT_TYPES = new Set([1, 10, 11, 16]);
export const INT64 = 7;
