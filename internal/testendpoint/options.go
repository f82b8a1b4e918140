package testendpoint

import "fmt"

// DefaultMaxRequests is how many API requests the request log keeps unless
// WithMaxRequests says otherwise.
const DefaultMaxRequests = 10000

// Option configures a Server; pass options to New or Start.
type Option func(*options)

type options struct {
	maxRequests   int
	remoteControl bool
	controlToken  string
}

func defaultOptions() options {
	return options{maxRequests: DefaultMaxRequests}
}

// WithMaxRequests bounds the request log to the newest n API requests (n >= 1; default
// DefaultMaxRequests). Older records are dropped and counted (Server.DroppedRequests, the
// X-Testendpoint-Dropped-Requests header of GET /_testendpoint/requests).
func WithMaxRequests(n int) Option {
	return func(o *options) { o.maxRequests = n }
}

// WithRemoteControl lets clients that are not on a loopback address use the control API
// (/_testendpoint/...). By default they get 403: the control API hands out every
// credential of the world and replaces the world at will.
func WithRemoteControl(allow bool) Option {
	return func(o *options) { o.remoteControl = allow }
}

// WithControlToken requires "Authorization: Bearer <token>" on every control API call
// (401 otherwise), from loopback clients too. An empty token requires none (the default).
func WithControlToken(token string) Option {
	return func(o *options) { o.controlToken = token }
}

func buildOptions(opts []Option) (options, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.maxRequests < 1 {
		return options{}, fmt.Errorf("testendpoint: the request log must keep at least 1 request, not %d", o.maxRequests)
	}
	return o, nil
}
