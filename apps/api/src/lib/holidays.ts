// Holiday flags moved to @marketprep/planning (shared with the worker); re-exported for API code.
export { holidayFlagsOn } from '@marketprep/planning';
