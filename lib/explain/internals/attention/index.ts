/** Attention analyses: rollout (Abnar & Zuidema 2020) and positional heads (Clark et al. 2019), on plain arrays. */
export * from './weights';
export * from './rollout';
export * from './offsets';
export * from './kendallTau';
export * from './isAttentionExplanation';
