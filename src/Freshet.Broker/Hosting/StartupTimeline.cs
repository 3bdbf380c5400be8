using System.Diagnostics;
using System.Runtime;
using System.Text;

namespace Freshet.Broker.Hosting;

/// <summary>
/// Where a broker's start-up time goes: each phase marks when it ends (milliseconds since the host began starting),
/// and the host logs them as one line once it listens, together with how much the JIT compiled on the way, which is
/// what precompilation (ReadyToRun) did not cover. Marks may come from any thread.
/// </summary>
internal sealed class StartupTimeline
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<(string Phase, double Ms)> _marks = new(12);

    public void Mark(string phase)
    {
        var ms = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        lock (_marks)
        {
            _marks.Add((phase, ms));
        }
    }

    public long ElapsedMs => (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    /// <summary>"storage 12, quorum started 80, ... ms; process CPU 400 ms; JIT 340 methods in 95 ms": phases in the order they ended.</summary>
    public string Describe()
    {
        var text = new StringBuilder(256);
        lock (_marks)
        {
            _marks.Sort(static (a, b) => a.Ms.CompareTo(b.Ms));
            foreach (var (phase, ms) in _marks)
            {
                text.Append(text.Length == 0 ? "" : ", ").Append(phase).Append(' ').Append((long)ms);
            }
        }
        // CPU time says what the start cost on a busy machine, where the wall-clock phases mostly measure waiting.
        text.Append(" ms; process CPU ").Append((long)Environment.CpuUsage.TotalTime.TotalMilliseconds)
            .Append(" ms; JIT ").Append(JitInfo.GetCompiledMethodCount()).Append(" methods in ")
            .Append((long)JitInfo.GetCompilationTime().TotalMilliseconds).Append(" ms");
        return text.ToString();
    }
}
