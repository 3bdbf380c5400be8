using System.CommandLine;

namespace Freshet.Server.Cli;

/// <summary>The <c>freshet</c> command tree. Usage errors print one line to stderr and exit 2.</summary>
internal static class FreshetCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Freshet: a Kafka-compatible event streaming broker.");
        root.Subcommands.Add(new ServeCommand().Command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parseResult = Build().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                await Console.Error.WriteLineAsync($"freshet: {error.Message}");
            var command = parseResult.CommandResult.Command is RootCommand ? "freshet" : $"freshet {parseResult.CommandResult.Command.Name}";
            await Console.Error.WriteLineAsync($"Run '{command} --help' for usage.");
            return ExitCodes.Usage;
        }

        // The serve command handles SIGINT/SIGTERM itself so that a slow, orderly stop is not cut short.
        return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
