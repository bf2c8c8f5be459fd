package fleet

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress hears about each product as it starts and finishes.
type Progress interface {
	Started(e Entry)
	Finished(p Product)
	// Close ends the display (the runner calls it once all are done).
	Close()
}

// NewProgress shows progress on w: a live block of the running products,
// redrawn in place, on a terminal; one plain line per start and finish
// otherwise (CI logs, pipes). w nil shows nothing.
func NewProgress(w io.Writer, terminal bool, total int) Progress {
	switch {
	case w == nil:
		return quiet{}
	case terminal:
		t := &liveProgress{w: w, total: total, running: map[string]time.Time{}, stop: make(chan struct{}), stopped: make(chan struct{})}
		go t.tick()
		return t
	default:
		return &lineProgress{w: w, total: total}
	}
}

type quiet struct{}

func (quiet) Started(Entry)    {}
func (quiet) Finished(Product) {}
func (quiet) Close()           {}

// finishedLine is how both displays report a finished product.
func finishedLine(done, total int, p Product) string {
	return fmt.Sprintf("[%*d/%d] %-14s %s (%s) %s", len(fmt.Sprint(total)), done, total, p.Status, p.label(),
		(time.Duration(p.DurationMS) * time.Millisecond).String(), p.Summary)
}

// lineProgress writes plain lines, safe for logs.
type lineProgress struct {
	mu          sync.Mutex
	w           io.Writer
	total, done int
}

func (l *lineProgress) Started(e Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "started %s\n", e.Label())
}

func (l *lineProgress) Finished(p Product) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done++
	fmt.Fprintln(l.w, finishedLine(l.done, l.total, p))
}

func (l *lineProgress) Close() {}

// liveProgress prints each finished product once, above a block that shows
// the running products with their elapsed time and is redrawn in place.
type liveProgress struct {
	mu            sync.Mutex
	w             io.Writer
	total, done   int
	running       map[string]time.Time // start time by config path
	order         []Entry              // running entries in start order
	drawn         int                  // lines of the block currently on screen
	stop, stopped chan struct{}
}

// redrawEvery refreshes the elapsed times.
const redrawEvery = 500 * time.Millisecond

func (t *liveProgress) tick() {
	defer close(t.stopped)
	ticker := time.NewTicker(redrawEvery)
	defer ticker.Stop()
	for {
		select {
		case <-t.stop:
			return
		case <-ticker.C:
			t.mu.Lock()
			t.redraw()
			t.mu.Unlock()
		}
	}
}

func (t *liveProgress) Started(e Entry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.running[e.Config] = time.Now()
	t.order = append(t.order, e)
	t.redraw()
}

func (t *liveProgress) Finished(p Product) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.running, p.Config)
	for i, e := range t.order {
		if e.Config == p.Config {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
	t.done++
	t.clear()
	fmt.Fprintln(t.w, finishedLine(t.done, t.total, p))
	t.redraw()
}

func (t *liveProgress) Close() {
	close(t.stop)
	<-t.stopped
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clear()
}

// clear erases the block: cursor up over it, then erase to the end.
func (t *liveProgress) clear() {
	if t.drawn > 0 {
		fmt.Fprintf(t.w, "\x1b[%dA\x1b[J", t.drawn)
		t.drawn = 0
	}
}

func (t *liveProgress) redraw() {
	t.clear()
	now := time.Now()
	for _, e := range t.order {
		fmt.Fprintf(t.w, "  running  %s  %s\n", e.Label(), now.Sub(t.running[e.Config]).Round(time.Second))
	}
	fmt.Fprintf(t.w, "%d/%d done, %d running\n", t.done, t.total, len(t.order))
	t.drawn = len(t.order) + 1
}
