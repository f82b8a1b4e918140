// Command sidebyside times Terraform with N cbr_backup_share_member resources (2 members each)
// against the test endpoint, side by side with a floor of N terraform_data resources, and prints
// per phase (apply, plan of the applied configuration, destroy) the median wall times, their
// ratio, the ratio of CPU times, the API requests per resource and the provider's peak RSS.
// `make bench` runs it.
//
//	sidebyside [-n 200] [-rounds 3] [-terraform PATH]
//
// Rounds alternate floor and provider so that a busy machine slows both alike. The provider is
// started by Terraform through a copy of this program (dev_overrides), which runs the real provider
// as its child and records the child's peak RSS when it exits.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

var phases = []string{"apply", "plan", "destroy"}

// sample is the outcome of one Terraform run.
type sample struct {
	wall     time.Duration
	cpu      time.Duration // of Terraform and the providers it ran
	requests int
	rssKiB   int64 // largest peak RSS of the provider processes of the run
}

func main() {
	if provider := os.Getenv(envWrap); provider != "" {
		os.Exit(wrap(provider))
	}
	n := flag.Int("n", 200, "resources per configuration")
	rounds := flag.Int("rounds", 3, "rounds of floor and provider")
	tf := flag.String("terraform", "", "Terraform or OpenTofu CLI (default: terraform, else tofu, on PATH)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *n, *rounds, *tf); err != nil {
		fmt.Fprintln(os.Stderr, "sidebyside:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n, rounds int, tf string) error {
	if n < 1 || rounds < 1 {
		return errors.New("-n and -rounds must be positive")
	}
	if tf == "" {
		for _, name := range []string{"terraform", "tofu"} {
			if p, err := exec.LookPath(name); err == nil {
				tf = p
				break
			}
		}
		if tf == "" {
			return errors.New("no terraform or tofu on PATH (use -terraform)")
		}
	}
	work, err := os.MkdirTemp("", "sidebyside-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	env, err := prepare(ctx, work, n)
	if err != nil {
		return err
	}
	defer env.stopEndpoint()

	version, _ := exec.CommandContext(ctx, tf, "version").Output()
	fmt.Printf("side by side: %d cbr_backup_share_member (2 members each) vs %d terraform_data, rounds: %d, %s\n",
		n, n, rounds, strings.SplitN(string(version), "\n", 2)[0])
	results := map[string]map[string][]sample{"floor": {}, "provider": {}}
	for r := 1; r <= rounds; r++ {
		for _, side := range []string{"floor", "provider"} {
			var line []string
			for _, ph := range phases {
				s, err := env.runPhase(ctx, tf, side, ph)
				if err != nil {
					return fmt.Errorf("round %d, %s %s: %w", r, side, ph, err)
				}
				results[side][ph] = append(results[side][ph], s)
				line = append(line, fmt.Sprintf("%s %.2fs (cpu %.2fs)", ph, s.wall.Seconds(), s.cpu.Seconds()))
			}
			fmt.Printf("  round %d %-8s %s\n", r, side, strings.Join(line, "  "))
		}
	}
	printTable(os.Stdout, n, results)
	return nil
}

// runPhase runs one Terraform command in the side's directory and collects its figures.
func (e *benchEnv) runPhase(ctx context.Context, tf, side, phase string) (sample, error) {
	args := []string{"-chdir=" + filepath.Join(e.work, side), phase, "-input=false", "-no-color"}
	if phase == "plan" {
		args = append(args, "-detailed-exitcode") // exit 2: the refresh found changes
	} else {
		args = append(args, "-auto-approve")
	}
	if err := e.control(ctx, http.MethodDelete, nil); err != nil {
		return sample{}, err
	}
	_ = e.takeRSS()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Env = e.tfEnv
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // let Terraform stop its providers
	cmd.WaitDelay = 30 * time.Second
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		var ee *exec.ExitError
		if phase == "plan" && errors.As(err, &ee) && ee.ExitCode() == 2 {
			return sample{}, fmt.Errorf("the plan of the applied configuration is not empty:\n%s", tail(out.String()))
		}
		return sample{}, fmt.Errorf("%w:\n%s", err, tail(out.String()))
	}
	var reqs []json.RawMessage
	if err := e.control(ctx, http.MethodGet, &reqs); err != nil {
		return sample{}, err
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return sample{wall: wall, cpu: cpu, requests: len(reqs), rssKiB: e.takeRSS()}, nil
}

// control calls the endpoint's request log: DELETE clears it, GET decodes it into out.
func (e *benchEnv) control(ctx context.Context, method string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, e.url+"/_testendpoint/requests", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s /_testendpoint/requests: HTTP %d", method, resp.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func tail(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

func median(s []sample, f func(sample) float64) float64 {
	v := make([]float64, len(s))
	for i := range s {
		v[i] = f(s[i])
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// printTable prints per phase the median wall times, their ratio, the ratio of the median CPU
// times, the median API requests per resource and the largest peak RSS of the provider.
func printTable(w io.Writer, n int, res map[string]map[string][]sample) {
	secs := func(s sample) float64 { return s.wall.Seconds() }
	cpu := func(s sample) float64 { return s.cpu.Seconds() }
	fmt.Fprintf(w, "\n%-8s %9s %9s %7s %9s %8s %9s\n", "phase", "floor", "provider", "ratio", "cpu ratio", "req/res", "peak RSS")
	for _, ph := range phases {
		fl, pr := median(res["floor"][ph], secs), median(res["provider"][ph], secs)
		cpuRatio := median(res["provider"][ph], cpu) / median(res["floor"][ph], cpu)
		reqs := median(res["provider"][ph], func(s sample) float64 { return float64(s.requests) / float64(n) })
		var rss int64
		for _, s := range res["provider"][ph] {
			rss = max(rss, s.rssKiB)
		}
		fmt.Fprintf(w, "%-8s %8.2fs %8.2fs %6.2fx %8.2fx %8.2f %5.1f MiB\n", ph, fl, pr, pr/fl, cpuRatio, reqs, float64(rss)/1024)
	}
}
