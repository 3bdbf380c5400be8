using System.Runtime.ExceptionServices;

namespace Freshet.Storage.IO;

/// <summary>
/// Runs work that mostly waits on the disk (mkdir, fsync, rename) for many items at once, on threads of its own.
/// Concurrent fsyncs on one file system share journal commits, so N of them in parallel cost little more than one;
/// <see cref="Parallel.For(int, int, Action{int})"/> would run them on the thread pool, which on a small machine
/// starts with as many threads as cores and adds more only about twice a second while they all block.
/// </summary>
public static class BlockingParallel
{
    /// <summary>
    /// Calls <paramref name="body"/> for every index in [0, <paramref name="count"/>) on up to
    /// <paramref name="degree"/> threads and returns once all calls ended. After the first failure no new index
    /// starts; that failure is returned (not thrown) so the caller can first account for what did complete.
    /// </summary>
    public static ExceptionDispatchInfo? For(int count, int degree, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0)
        {
            return null;
        }
        var next = -1;
        var failed = 0;
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            int index;
            while (Volatile.Read(ref failed) == 0 && (index = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    body(index);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    Volatile.Write(ref failed, 1);
                }
            }
        }

        var helpers = new Thread[Math.Min(degree, count) - 1];
        for (var i = 0; i < helpers.Length; i++)
        {
            // A small stack: the bodies are file-system calls, not deep recursion.
            helpers[i] = new Thread(Work, maxStackSize: 256 * 1024) { IsBackground = true, Name = "freshet-blocking-io" };
            helpers[i].Start();
        }
        Work();
        foreach (var helper in helpers)
        {
            helper.Join();
        }
        return failure;
    }
}
