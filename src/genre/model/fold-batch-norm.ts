// At inference a batch-norm layer is a fixed scale and shift per channel, which a 1×1 depthwise
// convolution with a bias computes exactly. The loader swaps one for the other: the same function
// to float rounding, and tfjs-wasm's batch-norm kernel costs several times the depthwise one
// (docs/model.md). The model file on disk stays the trained graph.
import type * as tfjs from '@tensorflow/tfjs';

interface LayerJson { class_name: string; config: Record<string, unknown> }
interface ModelJson { class_name: string; config: { layers: LayerJson[] } }

/** Batch norms over the channel axis of a 4-d tensor (channels last), the only kind folded. */
const foldable = (layer: LayerJson, rank: number | undefined) =>
  layer.class_name === 'BatchNormalization' && rank === 4 && (layer.config['axis'] === -1 || layer.config['axis'] === 3);

/** The scale and shift of one batch-norm layer as a depthwise kernel [1, 1, C, 1] and a bias [C]. */
function depthwiseWeights(tf: typeof tfjs, layer: tfjs.layers.Layer, config: Record<string, unknown>): tfjs.Tensor[] {
  return tf.tidy(() => {
    const weights = layer.getWeights();
    const gamma = config['scale'] !== false ? weights.shift()! : undefined;
    const beta = config['center'] !== false ? weights.shift()! : undefined;
    const [movingMean, movingVariance] = weights as [tfjs.Tensor, tfjs.Tensor];
    const scale = tf.div(gamma ?? tf.onesLike(movingVariance), tf.sqrt(tf.add(movingVariance, Number(config['epsilon'] ?? 1e-3))));
    const bias = tf.sub(beta ?? tf.zerosLike(movingMean), tf.mul(movingMean, scale));
    return [scale.reshape([1, 1, scale.size, 1]), bias];
  });
}

/** A copy of `model` with every foldable batch norm turned into a 1×1 depthwise convolution;
 * `model` itself when it has none. The caller disposes the original. */
export async function foldBatchNorms(tf: typeof tfjs, model: tfjs.LayersModel): Promise<tfjs.LayersModel> {
  const json = model.toJSON(null, false) as unknown as ModelJson;
  const folded = new Map<string, Record<string, unknown>>();
  for (const layer of json.config.layers) {
    const name = String(layer.config['name']);
    if (!foldable(layer, model.getLayer(name).outputShape.length)) continue;
    folded.set(name, layer.config);
    layer.class_name = 'DepthwiseConv2D';
    layer.config = { name, trainable: false, kernel_size: [1, 1], depth_multiplier: 1, padding: 'valid', use_bias: true };
  }
  if (folded.size === 0) return model;
  const copy = await tf.models.modelFromJSON({ modelTopology: json as unknown as tfjs.io.ModelJSON['modelTopology'] });
  for (const layer of copy.layers) {
    const source = model.getLayer(layer.name);
    const config = folded.get(layer.name);
    if (!config) {
      layer.setWeights(source.getWeights());
      continue;
    }
    const weights = depthwiseWeights(tf, source, config);
    layer.setWeights(weights);
    tf.dispose(weights);
  }
  return copy;
}
