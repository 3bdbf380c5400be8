using System.Collections.Concurrent;

namespace Freshet.Metadata.Controller;

/// <summary>
/// What the active controller remembers about each broker between heartbeats. It lives only in
/// memory, as in Kafka: a newly active controller gives every broker a fresh session.
/// </summary>
internal sealed class BrokerSession(long lastContact, long registrationOffset)
{
    /// <summary>Timestamp (TimeProvider ticks) of the last registration or heartbeat.</summary>
    public long LastContact { get; set; } = lastContact;

    /// <summary>The metadata offset a fenced broker must have applied before it is unfenced.</summary>
    public long RegistrationOffset { get; set; } = registrationOffset;

    public bool ShuttingDown { get; set; }

    /// <summary>
    /// True once this controller has heard from the broker itself. A session a newly active controller grants on
    /// its own (so that silent brokers are fenced a session timeout later) does not make a registration live: a
    /// broker that restarted while the controller changed must be able to register again at once.
    /// </summary>
    public bool Heard { get; set; }

    /// <summary>The offset of the records that moved its leaderships away; it may stop once it has applied them.</summary>
    public long ControlledShutdownOffset { get; set; } = -1;
}

internal sealed class BrokerSessions(TimeProvider time, TimeSpan timeout)
{
    private readonly Dictionary<int, BrokerSession> _sessions = [];

    // When each broker's latest heartbeat reached the controller, written as it arrives rather than when the
    // controller's queue gets to it: an operation that holds the queue for long (creating thousands of partitions)
    // must not expire the sessions of brokers that heartbeated on time. Kafka tracks contact times the same way.
    private readonly ConcurrentDictionary<int, (long Epoch, long Time)> _arrivals = new();

    public IEnumerable<KeyValuePair<int, BrokerSession>> All => _sessions;

    public void Clear() => _sessions.Clear();

    public BrokerSession Start(int brokerId, long registrationOffset) =>
        _sessions[brokerId] = new BrokerSession(time.GetTimestamp(), registrationOffset);

    public BrokerSession? Find(int brokerId) => _sessions.GetValueOrDefault(brokerId);

    public void Remove(int brokerId) => _sessions.Remove(brokerId);

    /// <summary>Notes a heartbeat of the broker's incarnation <paramref name="epoch"/> as it arrives; any thread.</summary>
    public void NoteArrival(int brokerId, long epoch) => _arrivals[brokerId] = (epoch, time.GetTimestamp());

    /// <summary>
    /// Counts each heartbeat that arrived but still waits in the queue as contact, provided it came from the
    /// registered incarnation (<paramref name="currentEpoch"/>); a stale incarnation keeps nothing alive.
    /// </summary>
    public void FoldArrivals(Func<int, long?> currentEpoch)
    {
        foreach (var (id, session) in _sessions)
        {
            if (_arrivals.TryGetValue(id, out var arrival) && arrival.Time > session.LastContact && currentEpoch(id) == arrival.Epoch)
            {
                session.LastContact = arrival.Time;
            }
        }
    }

    public void Touch(BrokerSession session)
    {
        session.LastContact = time.GetTimestamp();
        session.Heard = true;
    }

    public bool IsLive(int brokerId) => _sessions.TryGetValue(brokerId, out var s) && !IsExpired(s);

    /// <summary>Live and heard from by this controller: another incarnation must not replace it.</summary>
    public bool IsHeardAndLive(int brokerId) => _sessions.TryGetValue(brokerId, out var s) && s.Heard && !IsExpired(s);

    public bool IsExpired(BrokerSession session) => time.GetElapsedTime(session.LastContact) >= timeout;

    /// <summary>How long until the session expires; zero or less once it has.</summary>
    public TimeSpan TimeLeft(BrokerSession session) => timeout - time.GetElapsedTime(session.LastContact);

    public bool IsShuttingDown(int brokerId) => _sessions.TryGetValue(brokerId, out var s) && s.ShuttingDown;
}
