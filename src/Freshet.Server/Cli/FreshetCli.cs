using System.CommandLine;
using Freshet.Perf.Cli;

namespace Freshet.Server.Cli;

/// <summary>The <c>freshet</c> command tree. Usage errors print one line to stderr and exit 2.</summary>
internal static class FreshetCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Freshet: a Kafka-compatible event streaming broker.");
        root.Subcommands.Add(new ServeCommand().Command);
        root.Subcommands.Add(new ClusterCommand().Command);
        root.Subcommands.Add(PerfCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parseResult = Build().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                await Console.Error.WriteLineAsync($"freshet: {error.Message}");
            var command = CommandPath(parseResult.CommandResult);
            await Console.Error.WriteLineAsync($"Run '{command} --help' for usage.");
            return ExitCodes.Usage;
        }

        // The serve command handles SIGINT/SIGTERM itself so that a slow, orderly stop is not cut short.
        return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = result; r is System.CommandLine.Parsing.CommandResult c; r = r.Parent)
            names.Insert(0, c.Command is RootCommand ? "freshet" : c.Command.Name);
        return string.Join(' ', names);
    }
}
