package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// waitBackoff describes the delays between the attempts of waitFor.
type waitBackoff struct {
	Initial, Max time.Duration
	Factor       int
}

// errWaitTimeout is wrapped by waitFor's error when ctx ended before poll reported done.
var errWaitTimeout = errors.New("timed out")

// waitFor calls poll until it reports done or returns an error, sleeping between attempts with
// exponential backoff, until ctx ends (the caller sets the deadline from the timeouts block).
// retryable errors are those poll reports with done=false and a non-nil err: they are kept so that
// a timeout can say what the API last answered.
func waitFor[T any](ctx context.Context, b waitBackoff, poll func(context.Context) (T, bool, error)) (T, error) {
	delay := b.Initial
	for attempt := 1; ; attempt++ {
		v, done, err := poll(ctx)
		if done {
			return v, err
		}
		if err != nil && ctx.Err() != nil {
			// The attempt itself was cut short by the deadline.
			return v, fmt.Errorf("%w after %d attempts: %w", errWaitTimeout, attempt, err)
		}
		tflog.Debug(ctx, "not ready yet, waiting", map[string]any{"attempt": attempt, "delay": delay.String(), "last_error": fmt.Sprint(err)})
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			if err == nil {
				err = ctx.Err()
			}
			return v, fmt.Errorf("%w after %d attempts: %w", errWaitTimeout, attempt, err)
		case <-t.C:
		}
		delay *= time.Duration(b.Factor)
		if delay > b.Max {
			delay = b.Max
		}
	}
}
