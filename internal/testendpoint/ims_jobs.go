package testendpoint

import (
	"fmt"
	"net/http"
	"time"
)

// IMS asynchronous jobs (ShowJob): the v1 batch member calls answer a job ID and
// the client polls GET /v1/{project_id}/jobs/{job_id}.
//
// A batch runs, all or nothing, when it is submitted; its job then answers RUNNING to the
// first poll and its outcome (SUCCESS, or FAIL with error_code and fail_reason) to every
// later one, so a client sees the documented running->done transition without waiting on a
// clock (inference: the docs give the states, not their timing). Jobs live beside the
// world, like issued tokens: World() does not show them and SetWorld keeps them.

const (
	imsJobTimeLayout = "2006-01-02T15:04:05.000Z" // "2024-11-06T06:30:00.778Z" (ShowJob example)
	imsJobNotFound   = "IMG.0404"                 // no such job for this project, 404 (choice)

	jobRunning = "RUNNING"
	jobSuccess = "SUCCESS"
	jobFail    = "FAIL"

	jobTypeAdd    = "imsAddImageMembersJob"
	jobTypeDelete = "imsDelImageMembersJob"
	jobTypeUpdate = "imsUpdateImageMembersJob"

	maxIMSJobs = 10000 // the oldest jobs are forgotten beyond this many
)

// imsJob is one submitted batch and its outcome.
type imsJob struct {
	id        string
	projectID string // the submitting project: only it can read the job
	jobType   string
	begin     time.Time
	end       time.Time // set by the first poll that reports the outcome
	polled    bool
	fail      *imsFail       // nil: success
	results   []imsJobResult // per image and project, on success
}

type imsJobResult struct {
	ImageID   string `json:"image_id"`
	ProjectID string `json:"project_id"`
	Status    string `json:"status"` // "success"
}

// imsJobJSON is the ShowJob answer. DEF requires job_id, job_type, status, begin_time and
// end_time; error_code and fail_reason are null unless the job failed.
type imsJobJSON struct {
	JobID      string         `json:"job_id"`
	JobType    string         `json:"job_type"`
	BeginTime  string         `json:"begin_time"`
	EndTime    string         `json:"end_time"` // "" while running (inference)
	Status     string         `json:"status"`
	ErrorCode  *string        `json:"error_code"`
	FailReason *string        `json:"fail_reason"`
	Entities   imsJobEntities `json:"entities"`
}

type imsJobEntities struct {
	Results []imsJobResult `json:"results"`
}

// runIMSJob runs a batch of steps for project me, all or nothing: the first step that fails
// undoes the steps before it and becomes the job's failure. It records the job and answers
// 200 {"job_id": ...}.
func (s *Server) runIMSJob(me, jobType string, steps []func() (imsJobResult, *imsFail)) response {
	job := &imsJob{id: newRequestID(), projectID: me, jobType: jobType, begin: s.now().UTC(), results: []imsJobResult{}}
	before := s.imsSnapshot()
	for _, step := range steps {
		res, f := step()
		if f != nil {
			s.imsRestore(before)
			job.fail, job.results = f, []imsJobResult{}
			break
		}
		if res.ImageID != "" {
			job.results = append(job.results, res)
		}
	}
	if s.jobs == nil {
		s.jobs = map[string]*imsJob{}
	}
	if len(s.jobOrder) >= maxIMSJobs {
		delete(s.jobs, s.jobOrder[0])
		s.jobOrder = s.jobOrder[1:]
	}
	s.jobs[job.id] = job
	s.jobOrder = append(s.jobOrder, job.id)
	return jsonResponse(http.StatusOK, map[string]string{"job_id": job.id})
}

// GET /v1/{project_id}/jobs/{job_id}
func (s *Server) imsShowJob(rc *reqCtx) response {
	job := s.jobs[rc.params["job"]]
	if job == nil || job.projectID != rc.caller.projectID {
		return imsError(http.StatusNotFound, imsJobNotFound, fmt.Sprintf("Job %s does not exist.", rc.params["job"]))
	}
	out := imsJobJSON{JobID: job.id, JobType: job.jobType, BeginTime: job.begin.Format(imsJobTimeLayout),
		Status: jobRunning, Entities: imsJobEntities{Results: []imsJobResult{}}}
	if !job.polled {
		job.polled = true
		return jsonResponse(http.StatusOK, out)
	}
	if job.end.IsZero() {
		job.end = s.now().UTC()
		if job.end.Before(job.begin) { // the clock was set back (SetNow)
			job.end = job.begin
		}
	}
	out.EndTime = job.end.Format(imsJobTimeLayout)
	out.Entities.Results = job.results
	if job.fail != nil {
		out.Status, out.ErrorCode, out.FailReason = jobFail, &job.fail.code, &job.fail.msg
	} else {
		out.Status = jobSuccess
	}
	return jsonResponse(http.StatusOK, out)
}
