// The names this package writes: span names and event names are OffGridFlow's, attributes follow
// OTel's dotted lower-case style. Durations are seconds (`_s`), emissions kilograms CO2e.

/** Span names, exactly as OffGridFlow's trace tree has them. */
export const SPAN_NAMES: {
  readonly batchSubmission: 'batch.submission';
  readonly batchProcessing: 'batch.processing';
  readonly activityProcessing: 'activity.processing';
  readonly lockAcquisition: 'lock.acquisition';
} = {
  batchSubmission: 'batch.submission',
  batchProcessing: 'batch.processing',
  activityProcessing: 'activity.processing',
  lockAcquisition: 'lock.acquisition',
};

/** Span event names. */
export const EVENT_NAMES: {
  readonly batchCreated: 'batch.created';
  readonly activitiesAdded: 'activities.added';
  readonly batchQueued: 'batch.queued';
  readonly stateTransition: 'state.transition';
  readonly batchCompleted: 'batch.completed';
  readonly dataRetrieved: 'data.retrieved';
  readonly calculationsPerformed: 'calculations.performed';
  readonly resultsStored: 'results.stored';
  readonly lockWait: 'lock.wait';
  readonly lockAcquired: 'lock.acquired';
  readonly lockReleased: 'lock.released';
  readonly workerBusy: 'worker.busy';
  readonly workerIdle: 'worker.idle';
} = {
  batchCreated: 'batch.created',
  activitiesAdded: 'activities.added',
  batchQueued: 'batch.queued',
  stateTransition: 'state.transition',
  batchCompleted: 'batch.completed',
  dataRetrieved: 'data.retrieved',
  calculationsPerformed: 'calculations.performed',
  resultsStored: 'results.stored',
  lockWait: 'lock.wait',
  lockAcquired: 'lock.acquired',
  lockReleased: 'lock.released',
  workerBusy: 'worker.busy',
  workerIdle: 'worker.idle',
};

/** Attribute keys on spans and events. */
export const ATTRIBUTES: {
  readonly batchId: 'batch.id';
  readonly orgId: 'org.id';
  readonly workspaceId: 'workspace.id';
  readonly activityId: 'activity.id';
  readonly activityType: 'activity.type';
  readonly workerId: 'worker.id';
  readonly activityCount: 'batch.activity_count';
  readonly successCount: 'batch.success_count';
  readonly errorCount: 'batch.error_count';
  readonly queueSize: 'queue.size';
  readonly stateFrom: 'batch.state.from';
  readonly stateTo: 'batch.state.to';
  readonly batchDuration: 'batch.duration_s';
  readonly activityDuration: 'activity.duration_s';
  readonly emissions: 'emissions.kg_co2e';
  readonly emissionFactor: 'emission.factor';
  readonly lockName: 'lock.name';
  readonly lockWait: 'lock.wait_s';
  readonly lockHeld: 'lock.held_s';
  readonly workerIdle: 'worker.idle_s';
  readonly errorType: 'error.type';
  readonly linkType: 'ogf.link.type';
} = {
  batchId: 'batch.id',
  orgId: 'org.id',
  workspaceId: 'workspace.id',
  activityId: 'activity.id',
  activityType: 'activity.type',
  workerId: 'worker.id',
  activityCount: 'batch.activity_count',
  successCount: 'batch.success_count',
  errorCount: 'batch.error_count',
  queueSize: 'queue.size',
  stateFrom: 'batch.state.from',
  stateTo: 'batch.state.to',
  batchDuration: 'batch.duration_s',
  activityDuration: 'activity.duration_s',
  emissions: 'emissions.kg_co2e',
  emissionFactor: 'emission.factor',
  lockName: 'lock.name',
  lockWait: 'lock.wait_s',
  lockHeld: 'lock.held_s',
  workerIdle: 'worker.idle_s',
  errorType: 'error.type',
  linkType: 'ogf.link.type',
};
