export interface Config {
  /** Careplane training runs (plugin `training`). */
  training?: {
    /** Currency of every price, shown next to costs. Default `USD`. */
    currency?: string;
    /**
     * GPU types people may launch on. A cluster offers a type when its `gpu` label (in
     * `clusters.locations[].labels`, comma-separated for several) names it, or when the type lists
     * the cluster in `clusters`. Default: none (every launch is refused until one is configured).
     */
    gpuTypes?: Array<{
      /** Id, e.g. `nvidia-a100-80gb` (a DNS label). */
      name: string;
      /** Display name. Default: the id. */
      title?: string;
      /** Extended resource of one whole GPU. Default `nvidia.com/gpu`. */
      resourceName?: string;
      /** Node labels a run on this type must match, e.g. `nvidia.com/gpu.product`. Default none. */
      nodeSelector?: { [label: string]: string };
      /** Tolerations a run on this type gets (e.g. for an `nvidia.com/gpu` taint). Default none. */
      tolerations?: Array<{
        key?: string;
        /** `Exists` or `Equal`. */
        operator?: string;
        value?: string;
        /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
        effect?: string;
      }>;
      /** Price of one GPU for one hour, in `currency`. Required. */
      pricePerGpuHour: number;
      /** Most GPUs one run may use. Default 8. */
      maxPerRun?: number;
      /** Clusters offering this type besides those whose `gpu` label names it. Default none. */
      clusters?: string[];
      /** MIG profiles of this type. Default none. */
      migProfiles?: Array<{
        /** Profile, e.g. `1g.10gb`. */
        name: string;
        /** Extended resource. Default `nvidia.com/mig-<name>`. */
        resourceName?: string;
        /** Price of one slice for an hour. Required. */
        pricePerHour: number;
      }>;
    }>;
    /**
     * GPU quotas per team for clusters without Kueue (with Kueue, its ClusterQueues are the quota).
     * Default none.
     */
    teamQuotas?: Array<{
      /** Group entity ref, e.g. `group:default/ml-platform`. */
      team: string;
      cluster: string;
      gpuType: string;
      /** GPUs the team may use at once. */
      gpus: number;
    }>;
    /** Idle-GPU warning: utilisation below `threshold` (0–1, default 0.1) for `minutes` (default 15). */
    idle?: { threshold?: number; minutes?: number };
    /** How often runs that have not finished are reconciled with the clusters. Default 15 s. */
    reconcileInterval?:
      | string
      | {
          milliseconds?: number;
          seconds?: number;
          minutes?: number;
          hours?: number;
        };
  };
}
