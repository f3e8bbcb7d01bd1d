/*
 * The persisted audit trail of clusters-backend: every write (apply, patch, delete) and every
 * pod-log read made through Careplane, allowed or denied.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('clusters_audit_log', table => {
    table.comment(
      'Audit trail of cluster writes and pod-log reads made through Careplane',
    );
    table
      .bigIncrements('seq')
      .primary()
      .comment('Insertion order; the paging cursor');
    table
      .string('id', 64)
      .notNullable()
      .unique()
      .comment('Audit id returned to the caller');
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('User entity ref or service subject');
    table.string('actor_type', 16).notNullable().comment('user | service');
    table
      .string('action', 16)
      .notNullable()
      .comment('apply | patch | delete | logs');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).nullable();
    table.string('kind', 255).nullable();
    table.string('name', 255).nullable();
    table.string('entity_ref', 255).nullable();
    table.text('reason').nullable();
    table.boolean('dry_run').notNullable().defaultTo(false);
    table
      .string('outcome', 16)
      .notNullable()
      .comment('success | failure | denied');
    table.text('error').nullable();
    table.string('patch_sha256', 64).nullable();
    table.index(['occurred_at'], 'clusters_audit_log_occurred_at_idx');
    table.index(['cluster'], 'clusters_audit_log_cluster_idx');
    table.index(['entity_ref'], 'clusters_audit_log_entity_ref_idx');
    table.index(['actor'], 'clusters_audit_log_actor_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('clusters_audit_log');
};
