// The public names of the Keras modules that the stubs answer lazily (any attribute is a harmless
// stand-in): `from keras.optimizers import *` must bind what the real module exports (Adam, SGD,
// ...), which a stub whose names come from its `__getattr__` cannot list by itself. Read from Keras 3's
// keras/api/*/__init__.py, plus the Keras 2 names that tf.keras 2 code still imports.

const OPTIMIZERS = [
  "legacy", "schedules", "deserialize", "get", "serialize",
  "Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "Ftrl", "Lamb", "Lion", "LossScaleOptimizer", "Muon", "Nadam", "Optimizer", "RMSprop", "SGD",
];

const LOSS_FUNCTIONS = [
  "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge", "hinge", "huber",
  "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error", "poisson",
  "sparse_categorical_crossentropy", "squared_hinge",
];

const LOSSES = [
  ...LOSS_FUNCTIONS, "deserialize", "get", "serialize", "circle", "cosine_similarity", "ctc", "dice", "tversky",
  "Loss", "CTC", "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "CategoricalHinge", "Circle",
  "CosineSimilarity", "Dice", "Hinge", "Huber", "KLDivergence", "LogCosh", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
  "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky",
  // Keras 2 aliases.
  "mse", "mae", "mape", "msle", "kld", "MSE", "MAE", "MAPE", "MSLE", "KLD", "kullback_leibler_divergence", "logcosh",
];

const METRICS = [
  ...LOSS_FUNCTIONS, "deserialize", "get", "serialize",
  "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "TopKCategoricalAccuracy",
  "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy", "top_k_categorical_accuracy",
  "AUC", "FalseNegatives", "FalsePositives", "Precision", "PrecisionAtRecall", "Recall", "RecallAtPrecision", "SensitivityAtSpecificity",
  "SpecificityAtSensitivity", "TrueNegatives", "TruePositives", "ConcordanceCorrelation", "PearsonCorrelation", "concordance_correlation",
  "pearson_correlation", "F1Score", "FBetaScore", "CategoricalHinge", "Hinge", "SquaredHinge", "BinaryIoU", "IoU", "MeanIoU", "OneHotIoU",
  "OneHotMeanIoU", "Metric", "BinaryCrossentropy", "CategoricalCrossentropy", "KLDivergence", "Poisson", "SparseCategoricalCrossentropy", "Mean",
  "MeanMetricWrapper", "Sum", "CosineSimilarity", "LogCoshError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
  "MeanSquaredLogarithmicError", "R2Score", "RootMeanSquaredError",
];

const CALLBACKS = [
  "BackupAndRestore", "Callback", "CallbackList", "CSVLogger", "EarlyStopping", "History", "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint",
  "OrbaxCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights", "TensorBoard", "TerminateOnNaN",
];

const REGULARIZERS = ["deserialize", "get", "serialize", "L1", "l1", "L1L2", "l1_l2", "L2", "l2", "OrthogonalRegularizer", "orthogonal_regularizer", "Regularizer"];

const CONSTRAINTS = ["deserialize", "get", "serialize", "Constraint", "MaxNorm", "max_norm", "MinMaxNorm", "min_max_norm", "NonNeg", "non_neg", "UnitNorm", "unit_norm"];

/** By the stub module's own name (tensorflow.keras.X is the same module). */
export const KERAS_STAR_EXPORTS: Record<string, readonly string[]> = {
  "keras.optimizers": OPTIMIZERS,
  "keras.losses": LOSSES,
  "keras.metrics": METRICS,
  "keras.callbacks": CALLBACKS,
  "keras.regularizers": REGULARIZERS,
  "keras.constraints": CONSTRAINTS,
};
