/** A time-ordered to-do list for the simulation (binary min-heap; ties keep insertion order). */
type Task = { at: number; order: number; run: () => void };

export class Agenda {
  private heap: Task[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  at(at: number, run: () => void): void {
    const task = { at, order: this.counter++, run };
    const heap = this.heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Runs every task due at or before `now`, including tasks they schedule for before `now`. */
  runUntil(now: number): number {
    let ran = 0;
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const task = this.pop();
      task.run();
      ran++;
    }
    return ran;
  }

  private less(a: Task, b: Task): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private pop(): Task {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.less(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.less(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
