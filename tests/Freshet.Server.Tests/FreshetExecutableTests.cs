using System.Diagnostics;

namespace Freshet.Server.Tests;

/// <summary>Runs the built <c>freshet</c> as a separate process, as an operator would.</summary>
public class FreshetExecutableTests
{
    [Theory]
    [InlineData(new[] { "serve", "--override", "num.partitions=abc" }, "freshet: invalid value for num.partitions: 'abc' (expected an integer ≥ 1)")]
    [InlineData(new[] { "serve", "--listeners", "PLAINTEXT://:70000" }, "freshet: invalid value for listeners: 'PLAINTEXT://:70000' (expected a port between 0 and 65535)")]
    [InlineData(new[] { "serve", "--listeners", "SSL://:9093" }, "freshet: invalid value for listeners: 'SSL://:9093' (listener protocol SSL is not supported yet; use PLAINTEXT)")]
    [InlineData(new[] { "serve", "--node-id", "x" }, "freshet: invalid value for node.id: 'x' (expected an integer ≥ 0)")]
    [InlineData(new[] { "serve", "--log-level", "loud" }, "freshet: invalid value for --log-level: 'loud' (expected trace, debug, information, warning, error, critical or none)")]
    [InlineData(new[] { "serve", "--no-such-option" }, "freshet: Unrecognized command or argument '--no-such-option'.")]
    [InlineData(new[] { "cluster", "up", "--nodes", "0" }, "freshet cluster up: --nodes must be between 1 and 99, not 0")]
    [InlineData(new[] { "cluster", "up", "--override", "node.id=7" }, "freshet cluster up: --override node.id is set per node by 'cluster up' and cannot be overridden")]
    [InlineData(new[] { "cluster", "up", "--log-level", "loud" }, "freshet cluster up: invalid value for --log-level: 'loud' (expected trace, debug, information, warning, error, critical or none)")]
    [InlineData(new[] { "cluster", "up", "--nodes", "x" }, "freshet: Cannot parse argument 'x' for option '--nodes' as expected type 'System.Int32'.")]
    [InlineData(new[] { "perf", "produce", "--acks", "2" }, "freshet perf produce: --acks must be 0, 1 or all, not '2'")]
    [InlineData(new[] { "perf", "consume", "--compression", "lz4" }, "freshet: Unrecognized command or argument '--compression'.")]
    public async Task Bad_value_prints_one_line_and_exits_2(string[] args, string expectedFirstLine)
    {
        var (exitCode, stdout, stderr) = await RunAsync(args, new Dictionary<string, string>());
        Assert.Equal(2, exitCode);
        Assert.Equal(expectedFirstLine, stderr.Split('\n')[0].TrimEnd('\r'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Bad_environment_variable_exits_2()
    {
        var (exitCode, _, stderr) = await RunAsync(["serve"], new Dictionary<string, string> { ["FRESHET_NUM_PARTITIONS"] = "-1" });
        Assert.Equal(2, exitCode);
        Assert.Equal("freshet: invalid value for num.partitions: '-1' (expected an integer ≥ 1)", stderr.Trim());
    }

    [Fact]
    public async Task Unreadable_config_file_exits_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"freshet-{Guid.NewGuid():N}.properties");
        var (exitCode, _, stderr) = await RunAsync(["serve", "--config", missing], new Dictionary<string, string>());
        Assert.Equal(2, exitCode);
        Assert.StartsWith($"freshet: cannot read config file '{missing}':", stderr.Trim());
    }

    [Fact]
    public async Task Version_prints_and_exits_0()
    {
        var (exitCode, stdout, _) = await RunAsync(["--version"], new Dictionary<string, string>());
        Assert.Equal(0, exitCode);
        Assert.StartsWith("0.1.0", stdout.Trim());
    }

    [Fact]
    public async Task Serve_help_lists_the_options()
    {
        var (exitCode, stdout, _) = await RunAsync(["serve", "--help"], new Dictionary<string, string>());
        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--config", "--listeners", "--advertised-listeners", "--data-dir", "--node-id", "--override", "--log-level", "FRESHET_" })
            Assert.Contains(option, stdout, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(FindFreshetDll());
        foreach (var arg in args)
            startInfo.ArgumentList.Add(arg);
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("FRESHET_", StringComparison.Ordinal)).ToList())
            startInfo.Environment.Remove(key);
        foreach (var (key, value) in environment)
            startInfo.Environment[key] = value;

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    // The project reference copies freshet.dll and its runtimeconfig next to the tests; fall back to
    // the server project's own output for runners that copy only what the tests load.
    private static string FindFreshetDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "freshet.dll");
        if (File.Exists(local) && File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json")))
            return local;

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "src", "Freshet.Server", "bin");
            if (!Directory.Exists(project))
                continue;
            var candidate = Path.Combine(project, configuration, "net10.0", "freshet.dll");
            if (File.Exists(candidate))
                return candidate;
            var any = Directory.GetFiles(project, "freshet.dll", SearchOption.AllDirectories).FirstOrDefault();
            if (any is not null)
                return any;
        }

        throw new FileNotFoundException($"freshet.dll not found next to the tests ({AppContext.BaseDirectory}) or under src/Freshet.Server/bin");
    }
}
