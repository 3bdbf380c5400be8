using System.Runtime.InteropServices;

namespace Freshet.Server.Cluster;

/// <summary>Sends a signal to another process; .NET's Process.Kill only knows SIGKILL.</summary>
internal static partial class PosixSignals
{
    public const int SigTerm = 15;

    /// <returns>False when the process is already gone.</returns>
    public static bool Send(int processId, int signal) => Kill(processId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
