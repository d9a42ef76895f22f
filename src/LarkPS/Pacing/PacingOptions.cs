using System;

namespace LarkPS.Pacing;

/// <summary>
/// Every figure pacing works with, in one place: Lark's documented limits, and the choices measured against the pacing
/// simulation (tests/LarkPS.UnitTests/Delivery/PacingSimulationTests.cs) and the benchmark (tools/LarkPS.Benchmark).
/// </summary>
/// <remarks>
/// <para>
/// Each figure says where it comes from: "Lark" cites /work/shared/LARK-API.md (Quotas, Custom bot webhooks); "measured"
/// names the commit whose message holds the measurement; "choice" is a bound picked by reasoning, with no measurement
/// behind it. Change a measured figure only with a new measurement (the simulation first, then the benchmark).
/// </para>
/// <para>
/// A connection's quotas (Connect-Lark -QuotaPerSecond and the like) and a run's retry limits are set on
/// <c>DeliveryOptions</c>, which checks their ranges and keeps them here. Readers take the values when they are built;
/// later changes do not reach them.
/// </para>
/// </remarks>
internal sealed class PacingOptions
{
    // ---- Lark's documented limits (LARK-API.md): facts, not choices ----

    /// <summary>Lark: send message, contact look-ups and uploads, 50/s per app per tenant (Quotas).</summary>
    public const int LarkAppPerSecond = 50;

    /// <summary>Lark: the same calls, 1000/min per app per tenant (Quotas).</summary>
    public const int LarkAppPerMinute = 1000;

    /// <summary>Lark: 5/s to one user, 5/s into one chat shared by every bot in it (Quotas); 5 card updates/s per message.</summary>
    public const int LarkReceiverPerSecond = 5;

    /// <summary>Lark: a custom bot's hook, 5/s (Custom bot webhooks).</summary>
    public const int LarkHookPerSecond = 5;

    /// <summary>Lark: a custom bot's hook, 100/min (Custom bot webhooks).</summary>
    public const int LarkHookPerMinute = 100;

    // ---- Quotas of one connection (set through DeliveryOptions; defaults are Lark's) ----

    /// <summary>Calls per second of one quota class for the whole app; 0 turns the window off.</summary>
    public int AppPerSecond { get; set; } = LarkAppPerSecond;

    /// <summary>Calls per minute of one quota class for the whole app; 0 turns the window off.</summary>
    public int AppPerMinute { get; set; } = LarkAppPerMinute;

    /// <summary>Calls per second to one user or chat (or one card's updates); 0 turns the window off.</summary>
    public int ReceiverPerSecond { get; set; } = LarkReceiverPerSecond;

    /// <summary>
    /// Measured (f818e8f): added to every window on top of the arrival estimates, for what they cannot see (timers a
    /// millisecond early on either side). At 2 ms one run in 4 of 300 messages to 20 chats at 20 ms drew a refusal that
    /// cost a whole second; at 5 ms 12 runs drew none, at 95.2-96.2% of the limit.
    /// </summary>
    public TimeSpan RateWindowMargin { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Choice (2857241): a hook's margin. Its first request (a new TLS connection) can take far longer than the next, Lark
    /// counts on arrival, and a hook should not be refused at all; at 5/s a quarter second costs little.
    /// </summary>
    public TimeSpan HookRateWindowMargin { get; set; } = TimeSpan.FromMilliseconds(250);

    // ---- What the limiter learns from quota refusals (MarginLearner) ----

    /// <summary>Measured (db3d416; 30 ms in 8dba888): the learned margin grows this much per refusal, slowing down a little.</summary>
    public TimeSpan MarginStep { get; set; } = TimeSpan.FromMilliseconds(15);

    /// <summary>Measured (db3d416; 300 ms in 8dba888): the learned margin never grows past this.</summary>
    public TimeSpan MarginCap { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Choice (8dba888): the learned margin drains by one step in this long while no refusal comes.</summary>
    public TimeSpan MarginDrainPerStep { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Choice (db3d416): refusals that come together are one mistake; the margin grows at most once in this long.</summary>
    public TimeSpan MarginRaiseAtMostEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Choice (8dba888): a refused send never retries sooner than this, whatever the windows say (the server's window is fuller than ours by at least one).</summary>
    public TimeSpan LeastRefusalWait { get; set; } = TimeSpan.FromMilliseconds(20);

    // ---- Sharing a quota with senders we cannot see (FairShare: AIMD, issue 24) ----

    /// <summary>Choice (issue 24): a refusal our own windows cannot explain cuts the share to at most this part of what it was.</summary>
    public double ShareDecrease { get; set; } = 0.85;

    /// <summary>Choice (issue 24): ... and to at least this part of what it was (TCP's halving), however little our calls were getting.</summary>
    public double ShareDeepestDecrease { get; set; } = 0.5;

    /// <summary>
    /// Choice (issue 24): ... and to at most this part of what our own calls were getting of the window when Lark refused
    /// (three senders that each took 17 of 50 go to 15 each: together under the limit in one round, not after several halvings).
    /// </summary>
    public double ShareOfObserved { get; set; } = 0.9;

    /// <summary>Choice (issue 24): while no such refusal comes the share climbs this much a second (at 50/s, one call a second more each second).</summary>
    public double ShareIncreasePerSecond { get; set; } = 0.02;

    /// <summary>Choice (issue 24): the climb gains one more step a second for each this long without a refusal (quadratic: 0.03 after 1 s, 0.08 after 2 s, 0.24 after 4 s).</summary>
    public TimeSpan ShareQuickenEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Measured (issue 24, the simulation of three unshared senders): a cut takes this part of what we were getting of
    /// the window off the share (getting a third: 0.83 of it; half: 0.75), within <see cref="ShareDecrease"/> and
    /// <see cref="ShareSlopeDeepest"/>; three senders finished at 0.85 of the limit (0.82 without), shares evened out sooner.
    /// </summary>
    public double ShareCutSlope { get; set; } = 0.5;

    /// <summary>Choice (issue 24): ... but the slope alone never cuts deeper than to this part of the share (one sender that had the whole window keeps 0.7 of it).</summary>
    public double ShareSlopeDeepest { get; set; } = 0.7;

    /// <summary>
    /// Measured (issue 24, the simulation): while the share is below the whole, the per-second window allows this much
    /// more than the share: the even spacing paces the mean, and its gaps vary by 0.3 either way, so a window at exactly
    /// the share clipped it (three unshared senders sent 43-47/s of their 50; with 1.2, 48-51).
    /// </summary>
    public double ShareWindowSlack { get; set; } = 1.2;

    /// <summary>
    /// Choice (issue 24): a refusal while our count of the window was at least this many below the limit is someone
    /// else's: the share is cut, and the learned margin (for our own estimates' mistakes) is not widened; within it, both.
    /// Three unshared senders each widened their margin at every foreign refusal, to its cap, and each window slowed.
    /// </summary>
    public int ForeignMarginSlack { get; set; } = 2;

    /// <summary>Choice (issue 24): the share never falls below this (at 50/s and 1000/min: 2/s and 50/min).</summary>
    public double ShareFloor { get; set; } = 0.05;

    /// <summary>Choice (issue 24): without the refused request at hand, refusals within this long of a cut are the same signal (one window's worth) and cut once.</summary>
    public TimeSpan ShareCutAtMostEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Choice (issue 24): a refusal while our own count of the window (or the machine's, when shared) is within this many of
    /// the limit is our pacing's mistake (the margin learns it); further below, someone else spends the quota and the share is
    /// cut. 0 (was 2): a sender that took 49 of 50 at the start and was refused must cut too, or it keeps bursting into the
    /// slots its own calls free and the others starve (measured, 3 unshared processes: 7/s beside 25/s).
    /// </summary>
    public int ForeignRefusalSlack { get; set; }

    // ---- The network's fastest round trip (RoundTripEstimator) ----

    /// <summary>Measured (db3d416): the allowance taken off the fastest warm round trip, at least this, for the first measurement.</summary>
    public TimeSpan AllowanceFloor { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>
    /// Measured (663e7ff; 0.4 in db3d416, 0.3 in a50fd88): the allowance for a single warm round trip is this share of
    /// it. At 0.3 a 300 ms network's second window left 90 ms after the first's last estimate; at 0.2, 60 ms, and 300 ms
    /// workloads reached 94.9-95.5% of the limit with no refusal in 3 runs (one with two CPU hogs beside it).
    /// </summary>
    public double AllowanceShare { get; set; } = 0.2;

    /// <summary>Choice (db3d416): the allowance never goes below this, however many measurements vouch for the fastest.</summary>
    public TimeSpan LeastAllowance { get; set; } = TimeSpan.FromMilliseconds(3);

    /// <summary>
    /// Measured (a50fd88): how many recent warm round trips the spread is read from. The allowance is never less than
    /// how far their tenth percentile lies above their least: a revoked-token run under load drew 230020 without it.
    /// </summary>
    public int RecentRoundTrips { get; set; } = 64;

    /// <summary>Measured (a50fd88): the spread is read at this percentile of the recent round trips (and only once <see cref="SpreadAfter"/> have come).</summary>
    public int SpreadPercentile { get; set; } = 10;

    /// <summary>Choice (a50fd88): before this many warm round trips the spread is taken as zero.</summary>
    public int SpreadAfter { get; set; } = 10;

    /// <summary>
    /// Measured (21af74a): a round trip within this much of the least (or within <see cref="NearFastestShare"/> of it,
    /// if more) vouches for it; one taken for warm that opened a connection after all does not. Without the rule 300
    /// phone numbers at 20 ms drew 4 refusals in the window after the look-ups.
    /// </summary>
    public TimeSpan NearFastest { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Measured (21af74a): see <see cref="NearFastest"/>; a quarter of the least round trip.</summary>
    public double NearFastestShare { get; set; } = 0.25;

    /// <summary>Choice (8dba888): weight of a new round trip in the smoothed round trip (which sizes the requests in flight).</summary>
    public double RoundTripSmoothing { get; set; } = 0.2;

    /// <summary>Choice (8dba888): how often the limiter drops records that can no longer count, and idle receivers.</summary>
    public TimeSpan PruneEvery { get; set; } = TimeSpan.FromSeconds(1);

    // ---- Sharing one app's quota on one machine (SharedQuotaFile, issue 24) ----

    /// <summary>Choice (issue 24): calls the shared file remembers; above 1000/min the minute window counts only these.</summary>
    public int SharedRecords { get; set; } = 2048;

    /// <summary>
    /// Choice (issue 24): a call in the shared file that was never answered counts as arriving "now" this long at most, so a
    /// crashed process's calls stop holding the windows; an answer normally comes within a round trip.
    /// </summary>
    public TimeSpan SharedUnansweredHold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Choice (issue 24): how long a claim retries the file's lock (held for microseconds) before the call goes ahead on this process's windows alone.</summary>
    public TimeSpan SharedLockTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Choice (issue 24): added to the shared windows on top of the claiming limiter's margin: another process's calls are
    /// known by the times it published (its own estimates), which can differ from ours by a timer's resolution and jitter.
    /// </summary>
    public TimeSpan SharedWindowMargin { get; set; } = TimeSpan.FromMilliseconds(10);

    // ---- Requests in flight (the scheduler's automatic ThrottleLimit) ----

    /// <summary>Choice (8dba888): the fewest requests in flight the automatic sizing uses.</summary>
    public int AutoThrottleFloor { get; set; } = 16;

    /// <summary>Choice (8dba888): the most requests in flight the automatic sizing uses: a whole 50-send window at once at 300 ms still fits, and no server calls 64 abusive.</summary>
    public int AutoThrottleCap { get; set; } = 64;

    /// <summary>Choice (8dba888): a whole window's sends that fall due at one instant should leave within this long; a round trip this long or more wants the whole window in flight.</summary>
    public TimeSpan BurstSpread { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Choice (8dba888): requests in flight beyond what the round trip needs, for the ones finishing.</summary>
    public int InFlightHeadroom { get; set; } = 4;

    /// <summary>
    /// Choice (8dba888): how many items the scheduler looks ahead (at least <see cref="LookAheadPerThrottle"/> × ThrottleLimit).
    /// Input grouped by receiver (15 in a row to one chat) needs 10 receivers' items in view to keep 50/s busy at 5/s per
    /// receiver; 1000 items cover 66 such groups at about a kilobyte each.
    /// </summary>
    public int LookAhead { get; set; } = 1000;

    /// <summary>Choice (8dba888): see <see cref="LookAhead"/>.</summary>
    public int LookAheadPerThrottle { get; set; } = 4;

    // ---- Order (DeliveryScheduler) ----

    /// <summary>Choice (620df55): a retry backing off this long or less keeps its receiver's later items behind it; a longer one lets them pass.</summary>
    public TimeSpan MaxReceiverHold { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Measured (70c9346, narrowed in 7f39d26): the end-phase order (most waiting first) applies while at most this many
    /// of the app's windows wait. In submission order a chat that lost one slot by a millisecond ended 300 messages
    /// grouped 15 in a row a second late (80% of the limit in 3 of 3 runs at 20 ms; 95-96% with it).
    /// </summary>
    public int EndPhaseWindows { get; set; } = 10;

    // ---- Retries (RetryPolicy) ----

    /// <summary>
    /// Choice (21c41e8): attempts per item, the first included. Quota refusals (429 / 99991400, 230020, 11232) do not
    /// count (issue 24): they are retried until the item's deadline, <see cref="ItemDeadline"/>, its time budget.
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// Choice (issue 24): a quota refusal without x-ogw-ratelimit-reset backs off at most this long. Lark's windows are a
    /// second (the minute's reset is announced), so a longer wait only spends the item's budget; retries are not counted.
    /// </summary>
    public TimeSpan MaxQuotaBackoff { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Choice (21c41e8): the total one item may wait between attempts.</summary>
    public TimeSpan MaxTotalRetryWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Choice (21c41e8): the backoff cap before the first retry; it doubles with each attempt (full jitter).</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Choice (21c41e8): the largest backoff between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lark: the per-receiver quota is counted per second (Quotas), so a 230020 waits at least this long.</summary>
    public TimeSpan ReceiverRefusalFloor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lark: without a reset header a 429 still means the app's second is used up (Quotas: 50/s).</summary>
    public TimeSpan AppPauseWithoutReset { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Choice (21c41e8): spreads the senders that all got the same x-ogw-ratelimit-reset, so they do not return in one burst.</summary>
    public TimeSpan ResetJitter { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Choice (8dba888): from this quota refusal of one item on, its wait is at least the backoff (something else shares the quota).</summary>
    public int RefusalsBeforeBackoff { get; set; } = 3;

    // ---- Deadlines and stop (DeliveryEngine) ----

    /// <summary>Choice (c39f4c9): one total time per item from its first attempt, what the README promises.</summary>
    public TimeSpan ItemDeadline { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Choice (issue 24): after a quota refusal, a retry is started only with at least this much of the item's deadline
    /// left (or twice the item's longest attempt so far, when that is more: a loaded machine's round trip); with less it
    /// would likely be cut in flight (and may have arrived), so the item fails now as QuotaBudgetSpent.
    /// </summary>
    public TimeSpan LeastQuotaAttemptTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Choice (21c41e8): how long requests in flight may still finish after a stop before they are cancelled.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Choice (21c41e8): after in-flight sends are cancelled, how long a stop waits for them before reporting them Stopped itself.</summary>
    public TimeSpan AbandonAfterCancel { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Choice (21c41e8): waits on the caller's thread end at least this often, so a missed signal can only delay, never hang.</summary>
    public TimeSpan WakeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    // ---- The HTTP layer's view of connections (ConnectionWarmth) and look-ups ----

    /// <summary>Choice (db3d416): an idle kept-alive connection is assumed closed after this long (servers and HttpClient close them after about a minute).</summary>
    public TimeSpan ConnectionIdle { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Choice (3ec497f): phone numbers asked within this long of the first go into one batch_get_id call (of up to 50).</summary>
    public TimeSpan LookupGatherWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A copy, so a connection's options and a run's can differ without touching each other.</summary>
    public PacingOptions Copy() => (PacingOptions)MemberwiseClone();
}
