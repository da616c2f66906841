//! The run loop: a clock plus the pending-event set, driven by a model's handler.
//!
//! The model owns its state; the engine owns time. A handler receives the scheduler so it
//! can schedule and cancel further events, and can never move the clock backwards:
//! scheduling in the past is clamped to "now" and counted, because a model that does so
//! has a bug the run should report rather than hide.

use crate::queue::{EventId, EventQueue};
use crate::time::{SimDuration, SimTime};

/// What a handler sees: the current time and the means to schedule or cancel events.
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
    events_handled: u64,
    past_schedules: u64,
}

impl<E> Scheduler<E> {
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at absolute time `at` (clamped to now if earlier).
    pub fn schedule_at(&mut self, at: SimTime, event: E) -> EventId {
        let at = if at < self.now {
            self.past_schedules += 1;
            self.now
        } else {
            at
        };
        self.queue.push(at, event)
    }

    /// Schedules `event` after `delay` from now.
    pub fn schedule_in(&mut self, delay: SimDuration, event: E) -> EventId {
        self.queue.push(self.now + delay, event)
    }

    pub fn cancel(&mut self, id: EventId) -> bool {
        self.queue.cancel(id)
    }

    pub fn next_event_time(&mut self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    pub fn events_handled(&self) -> u64 {
        self.events_handled
    }

    /// How many times a model asked for an event in the past (each was clamped to now).
    pub fn past_schedules(&self) -> u64 {
        self.past_schedules
    }
}

/// A simulation model: reacts to one event at a time.
pub trait Model<E> {
    fn handle(&mut self, sched: &mut Scheduler<E>, event: E);
}

impl<E, F: FnMut(&mut Scheduler<E>, E)> Model<E> for F {
    fn handle(&mut self, sched: &mut Scheduler<E>, event: E) {
        self(sched, event)
    }
}

/// Why a run loop returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// No events remain.
    Empty,
    /// The next event lies beyond the time limit; the clock was advanced to the limit.
    TimeLimit,
    /// The requested number of events was handled.
    EventLimit,
}

/// Clock, pending events and the loop that drives a model.
pub struct Engine<E> {
    sched: Scheduler<E>,
}

impl<E> Default for Engine<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Engine<E> {
    pub fn new() -> Self {
        Engine {
            sched: Scheduler {
                now: SimTime::ZERO,
                queue: EventQueue::new(),
                events_handled: 0,
                past_schedules: 0,
            },
        }
    }

    pub fn scheduler(&mut self) -> &mut Scheduler<E> {
        &mut self.sched
    }

    pub fn now(&self) -> SimTime {
        self.sched.now
    }

    pub fn events_handled(&self) -> u64 {
        self.sched.events_handled
    }

    fn step<M: Model<E>>(&mut self, model: &mut M) -> bool {
        match self.sched.queue.pop() {
            Some((t, _, ev)) => {
                debug_assert!(t >= self.sched.now, "event queue went backwards");
                self.sched.now = t;
                self.sched.events_handled += 1;
                model.handle(&mut self.sched, ev);
                true
            }
            None => false,
        }
    }

    /// Runs until no events remain.
    pub fn run<M: Model<E>>(&mut self, model: &mut M) -> StopReason {
        while self.step(model) {}
        StopReason::Empty
    }

    /// Runs every event at or before `limit`, then sets the clock to `limit`.
    pub fn run_until<M: Model<E>>(&mut self, limit: SimTime, model: &mut M) -> StopReason {
        loop {
            match self.sched.queue.peek_time() {
                None => {
                    self.sched.now = self.sched.now.max(limit);
                    return StopReason::Empty;
                }
                Some(t) if t > limit => {
                    self.sched.now = self.sched.now.max(limit);
                    return StopReason::TimeLimit;
                }
                Some(_) => {
                    self.step(model);
                }
            }
        }
    }

    /// Handles at most `n` events.
    pub fn run_events<M: Model<E>>(&mut self, n: u64, model: &mut M) -> StopReason {
        for _ in 0..n {
            if !self.step(model) {
                return StopReason::Empty;
            }
        }
        StopReason::EventLimit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_until_stops_at_the_limit_and_keeps_later_events() {
        let mut eng: Engine<u32> = Engine::new();
        for k in 1..=5u64 {
            eng.scheduler().schedule_at(SimTime(k * 10), k as u32);
        }
        let mut seen = Vec::new();
        let mut model = |s: &mut Scheduler<u32>, e: u32| seen.push((s.now().0, e));
        assert_eq!(
            eng.run_until(SimTime(30), &mut model),
            StopReason::TimeLimit
        );
        assert_eq!(eng.now(), SimTime(30));
        assert_eq!(eng.run_events(1, &mut model), StopReason::EventLimit);
        assert_eq!(eng.run(&mut model), StopReason::Empty);
        assert_eq!(seen, vec![(10, 1), (20, 2), (30, 3), (40, 4), (50, 5)]);
    }

    #[test]
    fn handlers_schedule_follow_ups_and_past_times_are_clamped() {
        let mut eng: Engine<u32> = Engine::new();
        eng.scheduler().schedule_at(SimTime(100), 0);
        let mut fired = Vec::new();
        let mut model = |s: &mut Scheduler<u32>, e: u32| {
            fired.push((s.now().0, e));
            if e == 0 {
                s.schedule_at(SimTime(50), 1); // in the past: clamped to 100
                s.schedule_in(SimDuration(5), 2);
            }
        };
        eng.run(&mut model);
        assert_eq!(fired, vec![(100, 0), (100, 1), (105, 2)]);
        assert_eq!(eng.scheduler().past_schedules(), 1);
    }
}
