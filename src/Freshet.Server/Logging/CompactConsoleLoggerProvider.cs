using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Freshet.Server.Logging;

/// <summary>
/// Writes <see cref="CompactLine"/>s to stdout from one background thread, so that a request thread never waits on
/// the terminal. A small provider of its own rather than Microsoft.Extensions.Logging.Console: that one builds a
/// dependency-injection container, options monitors and a formatter registry before the first line, which cost the
/// broker more of its start-up than anything else it did (see bench/README.md). Like it, a full queue makes the
/// logging thread wait rather than drop lines.
/// </summary>
internal sealed class CompactConsoleLoggerProvider : ILoggerProvider
{
    /// <summary>Lines waiting for the writer thread.</summary>
    private const int QueueCapacity = 2500;

    private readonly BlockingCollection<string> _lines = new(QueueCapacity);
    private readonly TextWriter _output;
    private readonly Thread _writer;

    public CompactConsoleLoggerProvider(TextWriter output)
    {
        _output = output;
        _writer = new Thread(WriteLines) { IsBackground = true, Name = "freshet-console-log" };
        _writer.Start();
    }

    public ILogger CreateLogger(string categoryName) => new CompactConsoleLogger(CompactLine.ShortCategory(categoryName), this);

    public void Dispose()
    {
        _lines.CompleteAdding();
        // The last lines (why the process stops) are worth a wait, but a console nobody reads must not hold up the
        // exit for ever. A writer still running keeps the queue: disposing it under the writer would throw there.
        if (_writer.Join(TimeSpan.FromSeconds(10)))
            _lines.Dispose();
    }

    private void Enqueue(string line)
    {
        if (!_lines.IsAddingCompleted)
        {
            try
            {
                _lines.Add(line);
                return;
            }
            catch (InvalidOperationException)
            {
            }
        }

        // After disposal (a late line during shutdown) the line is written directly.
        _output.WriteLine(line);
    }

    private void WriteLines()
    {
        foreach (var line in _lines.GetConsumingEnumerable())
        {
            _output.WriteLine(line);
            if (_lines.Count == 0)
                _output.Flush();
        }

        _output.Flush();
    }

    private sealed class CompactConsoleLogger(string shortCategory, CompactConsoleLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (string.IsNullOrEmpty(message) && exception is null)
                return;
            provider.Enqueue(CompactLine.Format(DateTime.Now, logLevel, shortCategory, message, exception));
        }
    }
}
