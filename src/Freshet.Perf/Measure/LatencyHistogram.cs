using System.Numerics;

namespace Freshet.Perf.Measure;

/// <summary>
/// A log-linear histogram of latencies in microseconds, in the manner of HdrHistogram: values below 256 are
/// exact, larger ones keep their top 8 significant bits, so a percentile is off by at most 1/128 (under 0.8%).
/// Recording is a single array increment; one instance per thread, merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearBuckets = 256;
    private const int SubBuckets = 128;
    private const int MaxShift = 40;

    private readonly long[] _counts = new long[LinearBuckets + (MaxShift * SubBuckets)];
    private long _sum;

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public double Mean => Count == 0 ? 0 : (double)_sum / Count;

    public void Record(long micros)
    {
        if (micros < 0)
            micros = 0;
        _counts[IndexOf(micros)]++;
        Count++;
        _sum += micros;
        if (micros < Min)
            Min = micros;
        if (micros > Max)
            Max = micros;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        Count += other.Count;
        _sum += other._sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The smallest recorded value that at least <paramref name="percentile"/>% of the values do not exceed.</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
            return 0;
        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Clamp(HighestValueIn(i), Min, Max);
        }

        return Max;
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearBuckets)
            return (int)value;
        var shift = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)value) - 7, MaxShift);
        var top = Math.Min(value >> shift, (2 * SubBuckets) - 1);
        return LinearBuckets + ((shift - 1) * SubBuckets) + (int)(top - SubBuckets);
    }

    internal static long HighestValueIn(int index)
    {
        if (index < LinearBuckets)
            return index;
        var shift = ((index - LinearBuckets) / SubBuckets) + 1;
        var top = ((index - LinearBuckets) % SubBuckets) + SubBuckets;
        return ((top + 1L) << shift) - 1;
    }
}
