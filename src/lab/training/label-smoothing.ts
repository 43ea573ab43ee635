// Label smoothing (Szegedy et al. 2016): every training target moves a share ε towards the uniform
// distribution, t' = (1 − ε)·t + ε/K. Why: with few sources per genre the network can drive its
// training loss down by growing confident on each source's sound; a target that never reaches 1
// stops rewarding that, which often carries over to sources it never heard. The argmax of a target
// stays its own label (ε < 1 − 1/K), so tfjs's `classWeight` still balances the genres.

/** Smooths `targets` (segments × classes, row-major) in place and returns it; ε = 0 leaves it as is. */
export function smoothTargets(targets: Float32Array, classes: number, epsilon: number): Float32Array {
  if (!(epsilon >= 0 && epsilon < 1 - 1 / classes)) throw new RangeError(`label smoothing must be in [0, ${(1 - 1 / classes).toFixed(2)})`);
  if (epsilon === 0) return targets;
  for (let i = 0; i < targets.length; i++) targets[i] = (1 - epsilon) * targets[i]! + epsilon / classes;
  return targets;
}
