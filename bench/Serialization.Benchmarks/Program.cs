using System.Text.Json;
using BenchmarkDotNet.Running;
using PerfReference.OrdersService.Statements;
using PerfReference.Serialization.Benchmarks;

// The payload sizes are exact, not measured: print them next to the timings.
var (entities, statement) = StatementSample.Create(orders: 50, linesPerOrder: 20);
Console.WriteLine($"Payload: entity graph {JsonSerializer.SerializeToUtf8Bytes(entities, StatementSerializationBenchmarks.ApiJson).Length:N0} bytes, " +
    $"projection {JsonSerializer.SerializeToUtf8Bytes(statement, StatementJsonContext.Default.CustomerStatement).Length:N0} bytes");

BenchmarkSwitcher.FromAssembly(typeof(StatementSerializationBenchmarks).Assembly).Run(args);
