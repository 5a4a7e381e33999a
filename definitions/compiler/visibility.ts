/**
 * The steps an expression may read: the earlier steps of its own list and of every enclosing list. Each list
 * is a layer over the scope it is nested in and holds only its own steps, so entering a nested list (a
 * branch, a loop body) costs nothing: copying everything visible above it made a long definition with many
 * nested lists quadratic.
 */
export interface VisibleSteps {
  has(id: string): boolean;
}

/** A list's layer: the steps it adds, over those of the scope it is nested in. */
export class StepLayer implements VisibleSteps {
  private readonly own = new Set<string>();

  constructor(
    private readonly outer?: VisibleSteps,
    ids: Iterable<string> = [],
  ) {
    for (const id of ids) this.own.add(id);
  }

  add(id: string): void {
    this.own.add(id);
  }

  has(id: string): boolean {
    return this.own.has(id) || (this.outer?.has(id) ?? false);
  }
}

/** Nothing visible yet: the scope of the first top-level step and of trigger expressions. */
export const NO_STEPS: VisibleSteps = new StepLayer();
