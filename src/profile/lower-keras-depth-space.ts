// TensorFlow's depth_to_space / space_to_depth (Keras models call tf.nn.depth_to_space for sub-pixel
// upscaling) as a reshape, a transpose and a reshape, in TensorFlow's channel order: output
// [n, h*b + i, w*b + j, c] = input [n, h, w, (i*b + j)*C' + c]. NHWC only, as Keras builds it.

import { type Lowering, num, str } from "./lower-types";

export const lowerKerasDepthSpace: Lowering = (c) => {
  const { tf, node } = c;
  const b = num(node.attrs, "block_size");
  if (b === undefined) return `${node.op} does not record its block_size; not profiled.`;
  if ((str(node.attrs, "data_format") ?? "NHWC") !== "NHWC") return `${node.op} with data_format NCHW is not profiled; NHWC is.`;
  if (c.framework !== "keras" || c.inBuilt.length !== 1 || c.inBuilt[0].length !== 4) return `${node.op} is profiled on one NHWC image batch only.`;
  const [n, h, w, ch] = c.inBuilt[0];
  const out = c.outBuilt;
  // Both move b x b blocks between the spatial axes and the channels: split, swap the middle pair, merge.
  const split = node.op === "depth_to_space" ? [n, h, w, b, b, ch / (b * b)] : [n, h / b, b, w / b, b, ch];
  return (xs) => tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(xs[0], split), [0, 1, 3, 2, 4, 5]), out));
};
