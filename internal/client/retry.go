package client

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// maxRetryAfter caps a server's Retry-After so that a bogus value cannot
// stall a run; the context deadline still applies below it.
const maxRetryAfter = 5 * time.Minute

// callState is shared by the retry policy and the transport for one call.
// Attempts of a call run sequentially, so no lock is needed.
type callState struct {
	c        *Client
	spec     *callSpec
	attempts int
	// exhausted: the last outcome was retryable but MaxRetries or the
	// context deadline forbade another attempt.
	exhausted bool
	deadline  bool // exhausted because the next wait would pass the deadline
	nextWait  time.Duration
	fatal     error // a local failure (e.g. signing) that must not be retried
}

type stateKey struct{}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// retryClient builds a retryablehttp.Client around the shared http.Client.
// It is cheap, and being per call lets the policy keep per-call state.
// Logger stays nil: logging is done by the transport through tflog.
func (c *Client) retryClient(st *callState) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   c.http,
		RetryWaitMin: c.waitMin,
		RetryWaitMax: c.waitMax,
		RetryMax:     c.maxRetries,
		CheckRetry:   st.checkRetry,
		Backoff:      func(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return st.nextWait },
		// Hand the last response back instead of retryablehttp's generic
		// error, so Do can report the API's own code and message.
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) {
			// (A fatal local failure never has a response.)
			if resp != nil {
				return resp, nil
			}
			return nil, err
		},
	}
}

// checkRetry decides whether to try again and computes the wait, so that a
// wait that would overrun the context deadline ends the call at once with
// the real cause instead of "context deadline exceeded".
func (st *callState) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if st.fatal != nil {
		return false, st.fatal
	}
	if err != nil {
		// retryablehttp knows which transport errors are permanent
		// (bad scheme, TLS verification, too many redirects, ...).
		if ok, perr := retryablehttp.ErrorPropagatedRetryPolicy(ctx, nil, err); !ok {
			return false, perr
		}
	} else if !retryableStatus(resp.StatusCode) {
		return false, nil
	}
	if st.attempts > st.c.maxRetries {
		st.exhausted = true
		return false, nil
	}
	wait := st.c.backoff(st.attempts-1, resp)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		st.exhausted, st.deadline = true, true
		return false, nil
	}
	st.nextWait = wait
	return true, nil
}

// retryableStatus: throttling and server-side failures, but not 501 (a
// permanent "not implemented").
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code != http.StatusNotImplemented)
}

// backoff is exponential (RetryWaitMin·2^n, capped at RetryWaitMax) with
// "equal jitter" (a random point in the upper half) so that concurrent
// clients spread out, never below RetryWaitMin. A Retry-After on 429/503
// wins, capped at maxRetryAfter.
func (c *Client) backoff(n int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
			return min(d, maxRetryAfter)
		}
	}
	d := c.waitMax
	if n < 30 {
		if exp := c.waitMin << n; exp > 0 && exp < c.waitMax {
			d = exp
		}
	}
	half := d / 2
	d = half + rand.N(half+1)
	return max(d, c.waitMin)
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
