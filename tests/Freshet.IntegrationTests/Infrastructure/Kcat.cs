namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>The kcat command-line client (Debian's package), as an operator would use it.</summary>
public static class Kcat
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<ProcessResult> RunAsync(params string[] arguments) => ProcessRunner.RunAsync("kcat", arguments, Timeout);

    public static Task<ProcessResult> RunWithInputAsync(string input, params string[] arguments) =>
        ProcessRunner.RunAsync("kcat", arguments, Timeout, input);
}
