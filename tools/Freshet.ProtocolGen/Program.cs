namespace Freshet.ProtocolGen;

internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["import", var kafkaDir] => Commands.Import(kafkaDir),
                ["generate"] => Commands.Generate(check: false),
                ["generate", "--check"] => Commands.Generate(check: true),
                _ => Usage(),
            };
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Freshet.ProtocolGen import <kafka-protocol-dir> | generate [--check]");
        return 2;
    }
}
