import DataLoader from 'dataloader';

/**
 * Group commit for one kind of statement: callers' items are gathered into batches, and at most
 * `maxInFlight` batches run at once. An item that arrives while that many are running waits for
 * the next batch, which takes everything that arrived meanwhile (up to `maxBatchSize`) and starts
 * as soon as a running batch settles. With nothing running, an item waits only for the I/O of the
 * current turn of the event loop (`setImmediate`), so a lone request pays nothing extra.
 *
 * Under load this turns N concurrent statements, each with its own round trip and its own commit
 * (and WAL flush), into a few statements of many items: what PostgreSQL's group commit does for
 * the flush, done before the round trip. `run` answers one value or Error per item, in order; an
 * Error rejects only its own caller. When `run` fails as a whole, the batch's slot is freed first
 * and then each of its items goes through `runAlone` (when given), so one item that cannot go in
 * a batch neither fails nor holds up the others, nor the batches after it. Built on DataLoader's
 * batching (with its cache off: every item is a new request, never a memoized one).
 */
export class GroupCommit<Item, Result> {
  private readonly loader: DataLoader<Item, Result>;
  /** Batches dispatched and not yet settled. */
  private active = 0;
  /** Dispatches of batches that are waiting for a running one to settle, oldest first. */
  private readonly waiting: (() => void)[] = [];

  constructor(
    run: (items: readonly Item[]) => Promise<readonly (Result | Error)[]>,
    options: {
      maxBatchSize: number;
      maxInFlight: number;
      runAlone?: (item: Item) => Promise<Result>;
    },
  ) {
    if (options.maxInFlight < 1) throw new RangeError('maxInFlight must be at least 1');
    const { runAlone } = options;
    this.loader = new DataLoader<Item, Result>(
      async (items) => {
        let results: readonly (Result | Error)[];
        try {
          results = await run(items);
        } catch (error) {
          this.release();
          if (!runAlone) throw error;
          return Promise.all(
            items.map((item) =>
              runAlone(item).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
            ),
          );
        }
        this.release();
        return results;
      },
      {
        cache: false,
        maxBatchSize: options.maxBatchSize,
        batchScheduleFn: (dispatch) => {
          if (this.active < options.maxInFlight) {
            this.active += 1;
            setImmediate(dispatch);
          } else {
            this.waiting.push(dispatch);
          }
        },
      },
    );
  }

  /** Applies one item in the next batch; resolves with its own result. */
  submit(item: Item): Promise<Result> {
    return this.loader.load(item);
  }

  /** A batch settled: hand its slot straight to the oldest waiting batch, or free it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) setImmediate(next);
    else this.active -= 1;
  }
}
