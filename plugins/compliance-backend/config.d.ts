export interface Config {
  /** Compliance scorecards (@careplane/plugin-compliance-backend). */
  compliance?: {
    /**
     * How long result history and score history are kept, in days. Default 2192 (six years:
     * HIPAA documentation retention, 45 CFR 164.316(b)(2)).
     */
    retentionDays?: number;
    /** Full re-evaluation of every entity (cron-free interval in minutes). Default 15. */
    fullEvaluationMinutes?: number;
    /** Options of the built-in checks. */
    checks?: {
      /** Registries images may come from (K8S-INT-003); empty means the check answers unknown. */
      allowedRegistries?: string[];
      /** StorageClasses declared encrypted (K8S-ENC-004). */
      encryptedStorageClasses?: string[];
      /** Maximum age of a VulnerabilityReport in days (K8S-INT-006). Default 7. */
      maxReportAgeDays?: number;
    };
    /**
     * Declarative custom checks on workloads: a value at a dot path of the workload object must
     * exist / equal / match. A malformed entry stops the backend at start, naming the key.
     */
    customChecks?: Array<{
      id: string;
      title: string;
      severity: 'critical' | 'high' | 'medium' | 'low';
      category?: string;
      hipaa: string[];
      rationale: string;
      remediation: string;
      kinds?: string[];
      phiOnly?: boolean;
      require: {
        path: string;
        exists?: boolean;
        equals?: string | number | boolean;
        matches?: string;
      };
    }>;
  };
}
