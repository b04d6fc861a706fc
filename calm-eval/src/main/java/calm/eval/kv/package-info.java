/**
 * The evaluation of the key-value arithmetic experiment: its tasks ({@link calm.eval.kv.KvTasks}),
 * its saved systems ({@link calm.eval.kv.KvSystems}) and its report's tables
 * ({@link calm.eval.kv.KvEvaluation}).
 */
package calm.eval.kv;
