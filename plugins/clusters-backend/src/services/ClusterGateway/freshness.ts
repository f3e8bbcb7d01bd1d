/**
 * The cluster freshness rule lives in clusters-common, shared with the live views of
 * clusters-react; `aggregate` is its name here.
 * @internal
 */
export { aggregateClusterFreshness as aggregate } from '@careplane/plugin-clusters-common';
