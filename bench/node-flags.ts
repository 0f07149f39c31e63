/**
 * The Node flags the plugin runs with in production (the Dockerfile's CMD), so the benchmark measures the same process.
 */

/**
 * A 2 MB young-generation semi-space instead of V8's 16 MB: under load the plugin's peak RSS drops by
 * about 35 MB (226 -> 190 MB on Element) at no throughput cost measurable here, since what a request
 * allocates is short-lived and small.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=2'];
