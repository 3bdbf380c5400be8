using System.Diagnostics;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// What the producer had acknowledged and what the consumer read, per partition, with the time of every
/// acknowledgement so the longest stretch without a successful write can be measured.
/// Values are "partition:sequence", the sequence counting up per partition in send order.
/// </summary>
internal sealed class DeliveryLog
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(long Offset, long Sequence)>[] _acknowledged;
    private readonly Dictionary<long, long>[] _read;
    private readonly List<double> _ackTimesMs = [];
    private readonly double[] _lastAckTimeMs;
    private readonly Dictionary<string, int> _failures = [];
    private int _readConflicts;

    public DeliveryLog(int partitions)
    {
        _acknowledged = new List<(long, long)>[partitions];
        _read = new Dictionary<long, long>[partitions];
        _lastAckTimeMs = new double[partitions];
        Array.Fill(_lastAckTimeMs, -1);
        for (var p = 0; p < partitions; p++)
        {
            _acknowledged[p] = [];
            _read[p] = [];
        }
    }

    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    public static string Value(int partition, long sequence) => $"{partition}:{sequence:D9}";

    public static long SequenceOf(string value) => long.Parse(value.AsSpan(value.IndexOf(':', StringComparison.Ordinal) + 1), System.Globalization.CultureInfo.InvariantCulture);

    public void Acknowledged(int partition, long offset, long sequence)
    {
        lock (_gate)
        {
            _acknowledged[partition].Add((offset, sequence));
            _ackTimesMs.Add(NowMs);
            _lastAckTimeMs[partition] = NowMs;
        }
    }

    public void Failed(string reason)
    {
        lock (_gate)
            _failures[reason] = _failures.GetValueOrDefault(reason) + 1;
    }

    /// <summary>A consumed record; reading an offset again is fine only if it holds the same record.</summary>
    public void Read(int partition, long offset, long sequence)
    {
        lock (_gate)
        {
            if (_read[partition].TryGetValue(offset, out var earlier) && earlier != sequence)
                _readConflicts++;
            _read[partition][offset] = sequence;
        }
    }

    public int AcknowledgedCount
    {
        get
        {
            lock (_gate)
                return _ackTimesMs.Count;
        }
    }

    public int ReadConflicts
    {
        get
        {
            lock (_gate)
                return _readConflicts;
        }
    }

    public string Failures
    {
        get
        {
            lock (_gate)
                return _failures.Count == 0 ? "none" : string.Join(", ", _failures.Select(f => $"{f.Key} x{f.Value}"));
        }
    }

    /// <summary>Whether a write was acknowledged after the given time on this log's clock.</summary>
    public bool AcknowledgedSince(double timeMs)
    {
        lock (_gate)
            return _ackTimesMs.Count > 0 && _ackTimesMs[^1] > timeMs;
    }

    /// <summary>Whether a write to <paramref name="partition"/> was acknowledged after the given time on this log's clock.</summary>
    public bool AcknowledgedSince(int partition, double timeMs) => LastAcknowledgedMs(partition) > timeMs;

    /// <summary>When a write to <paramref name="partition"/> was last acknowledged on this log's clock; -1 before the first.</summary>
    public double LastAcknowledgedMs(int partition)
    {
        lock (_gate)
            return _lastAckTimeMs[partition];
    }

    public long HighestAcknowledgedOffset(int partition)
    {
        lock (_gate)
            return _acknowledged[partition].Count == 0 ? -1 : _acknowledged[partition].Max(a => a.Offset);
    }

    public bool HasRead(int partition, long offset)
    {
        lock (_gate)
            return _read[partition].ContainsKey(offset);
    }

    public List<(long Offset, long Sequence)> AcknowledgedRecords(int partition)
    {
        lock (_gate)
            return [.. _acknowledged[partition].OrderBy(a => a.Offset)];
    }

    public SortedDictionary<long, long> ReadRecords(int partition)
    {
        lock (_gate)
            return new SortedDictionary<long, long>(_read[partition]);
    }

    public int ReadCount
    {
        get
        {
            lock (_gate)
                return _read.Sum(r => r.Count);
        }
    }

    /// <summary>The longest time between two acknowledgements within [from, to] on this log's clock, in ms.</summary>
    public double LongestGapMs(double fromMs, double toMs)
    {
        lock (_gate)
        {
            var times = _ackTimesMs.Where(t => t >= fromMs && t <= toMs).Order().ToList();
            var previous = fromMs;
            var longest = 0.0;
            foreach (var t in times)
            {
                longest = Math.Max(longest, t - previous);
                previous = t;
            }
            return Math.Max(longest, toMs - previous);
        }
    }
}
