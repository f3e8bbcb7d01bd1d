// @ts-check

/**
 * Compliance results (current state), their history (one row per change), entity score
 * history, and exemptions.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('compliance_results', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 64).notNullable();
    table.string('target', 512).notNullable();
    table.string('status', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.integer('check_version').notNullable();
    table.text('message').notNullable();
    table.text('evidence').notNullable();
    table.timestamp('since', { useTz: true }).notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'check_id', 'target']);
  });
  await knex.schema.createTable('compliance_history', table => {
    table.bigIncrements('seq').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 64).notNullable();
    table.string('target', 512).notNullable();
    table.string('status', 16).notNullable();
    table.string('previous_status', 16).nullable();
    table.text('message').notNullable();
    table.text('evidence').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'changed_at'], 'compliance_history_entity_idx');
    table.index(['changed_at'], 'compliance_history_changed_idx');
  });
  await knex.schema.createTable('compliance_scores', table => {
    table.bigIncrements('seq').primary();
    table.string('entity_ref', 255).notNullable();
    table.integer('score').nullable();
    table.string('grade', 4).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'at'], 'compliance_scores_entity_idx');
    table.index(['at'], 'compliance_scores_at_idx');
  });
  await knex.schema.createTable('compliance_exemptions', table => {
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 64).notNullable();
    table.string('target', 512).notNullable();
    table.text('justification').notNullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('state', 16).notNullable();
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_comment').nullable();
    table.index(['entity_ref'], 'compliance_exemptions_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('compliance_exemptions');
  await knex.schema.dropTable('compliance_scores');
  await knex.schema.dropTable('compliance_history');
  await knex.schema.dropTable('compliance_results');
};
