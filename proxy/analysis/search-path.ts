// Resolving unqualified relation names against a session's search_path the way PostgreSQL does, as far as that is
// possible without the catalog: pg_temp is searched first (unless listed), then pg_catalog (unless listed), then
// the listed schemas. Temporary tables the session created are known exactly; pg_catalog's relations come from a
// fixed list of its tables and views. For a name found in neither, PostgreSQL picks the first listed schema where
// the table exists, which only the catalog knows: so every listed schema that could hold it is a candidate, and a
// policy sees the relation under each of them (`SET search_path = decoy, public` cannot hide public.t behind an
// empty decoy schema). "$user" is skipped: it names a schema only when one named after the proxy's upstream role
// exists.

/** pg_catalog tables and views (PostgreSQL 15-18), the ones an unqualified name can silently resolve to. */
const CATALOG_RELATIONS = new Set(
  (
    'pg_aggregate pg_am pg_amop pg_amproc pg_attrdef pg_attribute pg_auth_members pg_authid pg_cast pg_class ' +
    'pg_collation pg_constraint pg_conversion pg_database pg_db_role_setting pg_default_acl pg_depend ' +
    'pg_description pg_enum pg_event_trigger pg_extension pg_foreign_data_wrapper pg_foreign_server ' +
    'pg_foreign_table pg_index pg_inherits pg_init_privs pg_language pg_largeobject pg_largeobject_metadata ' +
    'pg_namespace pg_opclass pg_operator pg_opfamily pg_parameter_acl pg_partitioned_table pg_policy pg_proc ' +
    'pg_publication pg_publication_namespace pg_publication_rel pg_range pg_replication_origin pg_rewrite ' +
    'pg_seclabel pg_sequence pg_shdepend pg_shdescription pg_shseclabel pg_statistic pg_statistic_ext ' +
    'pg_statistic_ext_data pg_subscription pg_subscription_rel pg_tablespace pg_transform pg_trigger pg_ts_config ' +
    'pg_ts_config_map pg_ts_dict pg_ts_parser pg_ts_template pg_type pg_user_mapping ' +
    'pg_available_extensions pg_available_extension_versions pg_backend_memory_contexts pg_config ' +
    'pg_cursors pg_file_settings pg_group pg_hba_file_rules pg_ident_file_mappings pg_indexes pg_locks ' +
    'pg_matviews pg_policies pg_prepared_statements pg_prepared_xacts pg_publication_tables ' +
    'pg_replication_origin_status pg_replication_slots pg_roles pg_rules pg_seclabels pg_sequences pg_settings ' +
    'pg_shadow pg_shmem_allocations pg_stats pg_stats_ext pg_stats_ext_exprs pg_tables pg_timezone_abbrevs ' +
    'pg_timezone_names pg_user pg_user_mappings pg_views pg_wait_events pg_aios pg_shmem_allocations_numa ' +
    'pg_stat_activity pg_stat_all_indexes pg_stat_all_tables pg_stat_archiver pg_stat_bgwriter pg_stat_checkpointer ' +
    'pg_stat_database pg_stat_database_conflicts pg_stat_gssapi pg_stat_io pg_stat_progress_analyze ' +
    'pg_stat_progress_basebackup pg_stat_progress_cluster pg_stat_progress_copy pg_stat_progress_create_index ' +
    'pg_stat_progress_vacuum pg_stat_recovery_prefetch pg_stat_replication pg_stat_replication_slots pg_stat_slru ' +
    'pg_stat_ssl pg_stat_subscription pg_stat_subscription_stats pg_stat_sys_indexes pg_stat_sys_tables ' +
    'pg_stat_user_functions pg_stat_user_indexes pg_stat_user_tables pg_stat_wal pg_stat_wal_receiver ' +
    'pg_stat_xact_all_tables pg_stat_xact_sys_tables pg_stat_xact_user_functions pg_stat_xact_user_tables ' +
    'pg_statio_all_indexes pg_statio_all_sequences pg_statio_all_tables pg_statio_sys_indexes ' +
    'pg_statio_sys_sequences pg_statio_sys_tables pg_statio_user_indexes pg_statio_user_sequences ' +
    'pg_statio_user_tables'
  ).split(' '),
);

export interface NameContext {
  /** The search_path as listed (already split, identifiers case-folded). */
  searchPath: readonly string[];
  /** Temporary tables this session created and still has. */
  tempTables: ReadonlySet<string>;
  /** False after a computed set_config('search_path', ...): unqualified names cannot be resolved. */
  searchPathKnown?: boolean;
}

/**
 * The schemas an unqualified relation name may resolve to, most likely first: one when it is known exactly (a
 * temporary table, a pg_catalog relation), otherwise every listed schema from the first that can hold it on.
 */
export function relationSchemas(name: string, context: NameContext): string[] {
  const path = context.searchPath;
  const listsTemp = path.includes('pg_temp');
  const listsCatalog = path.includes('pg_catalog');
  if (!listsTemp && context.tempTables.has(name)) return ['pg_temp'];
  if (!listsCatalog && CATALOG_RELATIONS.has(name)) return ['pg_catalog'];
  const candidates: string[] = [];
  for (const schema of path) {
    if (schema === '$user' || schema === '') continue; // SET search_path = '' names no schema
    if (schema === 'pg_temp' || schema === 'pg_catalog') {
      const found = schema === 'pg_temp' ? context.tempTables.has(name) : CATALOG_RELATIONS.has(name);
      if (found) {
        candidates.push(schema);
        return candidates;
      }
      continue;
    }
    if (!candidates.includes(schema)) candidates.push(schema);
  }
  // Nothing usable listed: PostgreSQL would fail with "relation does not exist"; report the name under
  // pg_catalog, the one schema it could still come from.
  if (candidates.length === 0) candidates.push('pg_catalog');
  return candidates;
}

/**
 * The schemas an unqualified CREATE may put a new relation in: PostgreSQL uses the first listed schema that exists
 * (pg_temp only if listed), so every listed one is a candidate, the first most likely.
 */
export function creationSchemas(context: NameContext): string[] {
  const candidates: string[] = [];
  for (const schema of context.searchPath) {
    if (schema === '$user' || schema === '' || schema === 'pg_catalog') continue;
    if (!candidates.includes(schema)) candidates.push(schema);
  }
  if (candidates.length === 0) candidates.push('pg_catalog');
  return candidates;
}

/**
 * Splits identifiers written in one string the way PostgreSQL's SplitIdentifierString does: a search_path
 * (`set_config('search_path', 'a, "B"', false)`, separator ',') or a qualified name (`nextval('s."Seq"')`, '.').
 * Unquoted names are case-folded, quoted ones keep case. Returns null when the string is malformed.
 */
export function splitIdentifiers(value: string, separator: ',' | '.'): string[] | null {
  const names: string[] = [];
  let i = 0;
  const n = value.length;
  const skipSpace = () => {
    while (i < n && /\s/.test(value[i])) i++;
  };
  skipSpace();
  if (i === n) return names;
  while (i < n) {
    skipSpace();
    let name = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) return null;
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            name += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += value[i++];
      }
    } else {
      while (i < n && value[i] !== separator && !/\s/.test(value[i])) name += value[i++];
      if (name === '') return null;
      name = name.toLowerCase();
    }
    names.push(name.length > 63 ? name.slice(0, 63) : name);
    skipSpace();
    if (i < n) {
      if (value[i] !== separator) return null;
      i++;
      skipSpace();
      if (i >= n) return null;
    }
  }
  return names;
}
