/*
 * Training runs: who launched what, for which entity, where, with which parameters (secrets by
 * reference only), and every state the run went through.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('training_runs', table => {
    table.comment('GPU training runs launched through Careplane');
    table
      .bigIncrements('seq')
      .primary()
      .comment('Insertion order; the paging cursor (newest first)');
    table.string('id', 36).notNullable().unique().comment('Run id (uuid)');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('User entity ref of who launched it');
    table
      .string('idempotency_key', 64)
      .notNullable()
      .comment('Client-chosen key: one run per (created_by, key)');
    table.unique(['created_by', 'idempotency_key'], {
      indexName: 'training_runs_idempotency_uq',
    });
    table.string('name', 63).notNullable();
    table.string('entity_ref', 255).notNullable();
    table
      .string('team', 255)
      .nullable()
      .comment('Owner of the entity at launch');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 63).notNullable();
    table
      .string('kind', 32)
      .notNullable()
      .comment('Job | TrainJob | PyTorchJob');
    table.string('object_name', 63).notNullable();
    table.string('object_uid', 64).nullable();
    table
      .boolean('object_seen')
      .notNullable()
      .defaultTo(false)
      .comment('The object was seen in the cache at least once');
    table
      .text('parameters')
      .notNullable()
      .comment('JSON RunParameters (no secret values)');
    table.integer('total_gpus').notNullable();
    table.float('price_per_gpu_hour').notNullable();
    table.string('phase', 16).notNullable();
    table.text('state').notNullable().comment('JSON RunState');
    table.timestamp('state_changed_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('cancelled_by', 255).nullable();
    table.text('cancel_reason').nullable();
    table.index(['entity_ref', 'seq'], 'training_runs_entity_idx');
    table.index(['team', 'seq'], 'training_runs_team_idx');
    table.index(['phase', 'seq'], 'training_runs_phase_idx');
    table.index(['cluster', 'seq'], 'training_runs_cluster_idx');
    table.index(['created_by', 'seq'], 'training_runs_created_by_idx');
  });
  await knex.schema.createTable('training_run_states', table => {
    table.comment('Every state a training run went through');
    table.bigIncrements('seq').primary();
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('training_runs')
      .onDelete('CASCADE');
    table.string('phase', 16).notNullable();
    table.text('state').notNullable().comment('JSON RunState');
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['run_id', 'seq'], 'training_run_states_run_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('training_run_states');
  await knex.schema.dropTable('training_runs');
};
