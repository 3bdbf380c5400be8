namespace Freshet.Bench.Ceiling;

/// <summary>Wakes every fetch waiting for data when any partition is appended to (the ceiling's whole purgatory).</summary>
internal sealed class DataSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
