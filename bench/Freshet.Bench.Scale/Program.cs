using Freshet.Bench.Scale;

// Start-up, partition-count and connection-count measurements for bench/scale.sh. Each prints one line per
// measurement, "name value unit", for the script to collect.
return args.Length == 0 ? Usage() : args[0] switch
{
    "startup" => await StartupProbe.RunAsync(Arguments.Parse(args[1..])),
    "create-partitions" => await CreatePartitionsProbe.RunAsync(Arguments.Parse(args[1..])),
    "connections" => await IdleConnectionsProbe.RunAsync(Arguments.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Freshet.Bench.Scale startup --freshet PATH [--runs 5]
               Freshet.Bench.Scale create-partitions --bootstrap HOST:PORT [--topics 10] [--partitions 1000]
               Freshet.Bench.Scale connections --bootstrap HOST:PORT --pid PID [--count 1000]
        """);
    return 2;
}
