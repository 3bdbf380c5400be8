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

    public IEnumerable<KeyValuePair<int, BrokerSession>> All => _sessions;

    public void Clear() => _sessions.Clear();

    public BrokerSession Start(int brokerId, long registrationOffset) =>
        _sessions[brokerId] = new BrokerSession(time.GetTimestamp(), registrationOffset);

    public BrokerSession? Find(int brokerId) => _sessions.GetValueOrDefault(brokerId);

    public void Remove(int brokerId) => _sessions.Remove(brokerId);

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
