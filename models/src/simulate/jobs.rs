//! GPU jobs: training reads, checkpoints (synchronous and drained), restores after
//! interruptions, and steady demand not tied to GPUs.

use super::flows::Lf;
use super::sim::exp_delay;
use super::sim::{Ev, Purpose, Sim};
use crate::scenario::CheckpointMode;
use vastplan_sim::{EventId, Scheduler, SimTime, StreamRng};

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Phase {
    Training,
    /// Synchronous checkpoint in flight: the job's GPUs wait.
    Checkpointing(SimTime),
    /// Restoring after an interruption: the job's GPUs wait.
    Restoring(SimTime),
}

pub(super) struct Job {
    pub(super) gpus: u32,
    pub(super) phase: Phase,
    pub(super) training: Option<Lf>,
    pub(super) checkpoint: Option<Lf>,
    pub(super) drain: Option<(Lf, SimTime)>,
    pub(super) last_checkpoint: SimTime,
    pub(super) checkpoint_event: Option<EventId>,
    pub(super) interrupt_event: Option<EventId>,
    pub(super) rng: StreamRng,
}

impl Sim<'_> {
    pub(super) fn job_streams(&self, j: usize) -> u32 {
        self.client_vms(self.jobs[j].gpus).max(1)
    }

    /// Read demand of a job's GPUs at 100 % utilisation, bytes/s.
    pub(super) fn job_demand(&self, j: usize) -> f64 {
        match &self.input.training {
            Some(t) => self.jobs[j].gpus as f64 * t.reading_fraction * t.step.demand_full(),
            None => 0.0,
        }
    }

    pub(super) fn job_floor_demand(&self, j: usize) -> f64 {
        match &self.input.training {
            Some(t) => self.jobs[j].gpus as f64 * t.reading_fraction * t.step.demand_at_floor(),
            None => 0.0,
        }
    }

    pub(super) fn start_training(&mut self, now: SimTime, j: usize) {
        let demand = self.job_demand(j);
        if demand <= 0.0 {
            return;
        }
        let streams = self.job_streams(j);
        let id = self.start_flow(
            now,
            Purpose::Training(j),
            f64::INFINITY,
            streams,
            Some(demand / streams as f64),
        );
        self.jobs[j].training = Some(id);
    }

    pub(super) fn start_steady(&mut self, now: SimTime) {
        let Some(d) = self.input.steady.clone() else {
            return;
        };
        // Restarting replaces the running streams; two sets would each take a share.
        let (r, w) = (self.steady_read.take(), self.steady_write.take());
        self.cancel(now, r);
        self.cancel(now, w);
        // Readers and writers open streams in proportion to what each direction asks
        // (an HPC mix of 1,500 GB/s reads and 600 GB/s writes has 2.5 readers per
        // writer), so when the cluster saturates, max-min fairness per stream gives the
        // demanded mix — the mix the closed form sizes for — rather than equal rates.
        let total = d.streams.max(1) as f64 * 2.0;
        let all = (d.read + d.write).max(f64::MIN_POSITIVE);
        let streams_for = |v: f64| ((total * v / all).round() as u32).max(1);
        if d.read > 0.0 {
            let streams = streams_for(d.read);
            self.steady_read = Some(self.start_flow(
                now,
                Purpose::SteadyRead,
                f64::INFINITY,
                streams,
                Some(d.read / streams as f64),
            ));
        }
        if d.write > 0.0 {
            let streams = streams_for(d.write);
            self.steady_write = Some(self.start_flow(
                now,
                Purpose::SteadyWrite,
                f64::INFINITY,
                streams,
                Some(d.write / streams as f64),
            ));
        }
    }

    pub(super) fn schedule_checkpoint(&mut self, s: &mut Scheduler<Ev>, j: usize, from: SimTime) {
        if let Some(c) = &self.input.checkpoint {
            if let Some(old) = self.jobs[j].checkpoint_event.take() {
                s.cancel(old);
            }
            self.jobs[j].checkpoint_event =
                Some(s.schedule_at(from + c.interval, Ev::CheckpointDue(j)));
        }
    }

    /// GPU interruptions need a checkpoint to restore from; without one they are not
    /// simulated (the job would restart from scratch, a question for the trainer).
    pub(super) fn schedule_interrupt(&mut self, s: &mut Scheduler<Ev>, j: usize) {
        let (Some(mttf), Some(_)) = (self.input.gpu_mttf, &self.input.checkpoint) else {
            return;
        };
        let rate = self.jobs[j].gpus as f64 / mttf.as_secs_f64();
        if let Some(old) = self.jobs[j].interrupt_event.take() {
            s.cancel(old);
        }
        if let Some(d) = exp_delay(&mut self.jobs[j].rng, rate) {
            self.jobs[j].interrupt_event = Some(s.schedule_in(d, Ev::Interrupt(j)));
        }
    }

    pub(super) fn checkpoint_due(&mut self, s: &mut Scheduler<Ev>, j: usize) {
        let now = s.now();
        let Some(c) = self.input.checkpoint.clone() else {
            return;
        };
        if self.jobs[j].phase != Phase::Training {
            return; // restoring: the next checkpoint is scheduled when training resumes
        }
        let streams = self.job_streams(j);
        match c.mode {
            CheckpointMode::Sync => {
                let t = self.jobs[j].training.take();
                self.cancel(now, t);
                let id =
                    self.start_flow(now, Purpose::Checkpoint(j), c.bytes_per_job, streams, None);
                self.jobs[j].checkpoint = Some(id);
                self.jobs[j].phase = Phase::Checkpointing(now);
            }
            CheckpointMode::Async => {
                if self.jobs[j].drain.is_some() {
                    self.stats.overruns += 1;
                } else {
                    let id =
                        self.start_flow(now, Purpose::Drain(j), c.bytes_per_job, streams, None);
                    self.jobs[j].drain = Some((id, now));
                    self.jobs[j].last_checkpoint = now;
                }
                self.schedule_checkpoint(s, j, now);
            }
        }
    }

    pub(super) fn interrupt(&mut self, s: &mut Scheduler<Ev>, j: usize) {
        let now = s.now();
        let Some(c) = self.input.checkpoint.clone() else {
            return;
        };
        self.stats.interruptions += 1;
        let job = &mut self.jobs[j];
        if matches!(job.phase, Phase::Training | Phase::Checkpointing(_)) {
            self.stats.lost_gpu_s += job.gpus as f64 * (now - job.last_checkpoint).as_secs_f64();
        }
        let (t, k) = (job.training.take(), job.checkpoint.take());
        if let Some(ev) = job.checkpoint_event.take() {
            s.cancel(ev);
        }
        self.cancel(now, t);
        self.cancel(now, k);
        let streams = self.job_streams(j);
        let id = self.start_flow(now, Purpose::Restore(j), c.bytes_per_job, streams, None);
        self.jobs[j].checkpoint = Some(id);
        self.jobs[j].phase = Phase::Restoring(now);
        self.schedule_interrupt(s, j);
    }
}
