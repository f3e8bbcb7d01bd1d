import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { ConflictError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import {
  builtInChecks,
  ComplianceCheck,
  compliancePermissions,
  policyToCheckMap,
} from '@careplane/plugin-compliance-common';
import { registerActions } from './actions/registerActions';
import { readComplianceConfig } from './config';
import { DatabaseComplianceStore } from './database/DatabaseComplianceStore';
import { complianceChecksExtensionPoint } from './extensions';
import { createRouter } from './router';
import { ComplianceEngine } from './services/Evaluation/ComplianceEngine';
import { ExemptionService } from './services/Exemptions/ExemptionService';
import { ScorecardService } from './services/Scorecards/ScorecardService';

/**
 * Compliance scorecards mapped to HIPAA safeguards (`/api/compliance`).
 * @public
 */
export const compliancePlugin = createBackendPlugin({
  pluginId: 'compliance',
  register(env) {
    const extraChecks: ComplianceCheck[] = [];
    env.registerExtensionPoint(complianceChecksExtensionPoint, {
      addChecks(checks) {
        extraChecks.push(...checks);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusters: clustersServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const config = readComplianceConfig(deps.config);
        deps.permissionsRegistry.addPermissions(compliancePermissions);
        const checks = [...builtInChecks, ...config.customChecks];
        for (const c of extraChecks) {
          if (checks.some(x => x.id === c.id))
            throw new ConflictError(
              `Compliance check '${c.id}' is registered twice`,
            );
          checks.push(c);
        }
        const store = await DatabaseComplianceStore.create({
          database: deps.database,
        });
        const engine = new ComplianceEngine({
          clusters: deps.clusters,
          catalog: deps.catalog,
          auth: deps.auth,
          store,
          logger: deps.logger,
          notifications: deps.notifications,
          checks: {
            checks,
            policyToCheck: policyToCheckMap(checks),
            options: config.checkOptions,
          },
        });
        const exemptions = new ExemptionService({
          store,
          permissions: deps.permissions,
          auditor: deps.auditor,
          checkIds: new Set(checks.map(c => c.id)),
          rescore: ref => engine.rescore(ref),
        });
        const scorecards = new ScorecardService({
          store,
          catalog: engine.catalogById,
          entity: ref => engine.entity(ref),
          evaluatedAt: () => engine.evaluatedAt(),
        });
        registerActions({
          actionsRegistry: deps.actionsRegistry,
          scorecards,
          catalog: engine.catalogById,
        });

        await engine.schedule(deps.scheduler, config.fullEvaluationMinutes);
        await deps.scheduler.scheduleTask({
          id: 'compliance-retention',
          scope: 'global',
          frequency: { hours: 24 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const purged = await store.purge(
              new Date(Date.now() - config.retentionDays * 86_400_000),
            );
            deps.logger.info(
              `Compliance retention (${config.retentionDays} days): purged ${purged.history} history and ${purged.scores} score rows`,
            );
          },
        });
        await deps.scheduler.scheduleTask({
          id: 'compliance-exemption-expiry',
          scope: 'global',
          frequency: { minutes: 5 },
          timeout: { minutes: 5 },
          fn: async () => {
            await exemptions.expire();
          },
        });
        deps.lifecycle.addShutdownHook(() => engine.stop());

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            auditor: deps.auditor,
            scorecards,
            exemptions,
            checks,
          }),
        );
      },
    });
  },
});
