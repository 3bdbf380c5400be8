namespace Freshet.Perf.Measure;

/// <summary>Records and bytes done so far, shared by the load threads and read by the progress line.</summary>
public sealed class LiveCounters
{
    private long _records;
    private long _bytes;
    private long _errors;

    public long Records => Interlocked.Read(ref _records);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Errors => Interlocked.Read(ref _errors);

    public void Add(long records, long bytes)
    {
        Interlocked.Add(ref _records, records);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void AddError() => Interlocked.Increment(ref _errors);
}
