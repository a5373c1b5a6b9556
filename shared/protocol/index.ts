export * from "./limits.js";
export * from "./types.js";
export * from "./validate.js";
export {
  PRIORITIES,
  INCIDENT_STATUSES,
  SOURCES,
  UNIT_ROLES,
  UNIT_STATUSES,
  ALERT_LEVELS,
  COMMAND_TYPES,
  RESULT_CODES,
} from "./schemas.js";
