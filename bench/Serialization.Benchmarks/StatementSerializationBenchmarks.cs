using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using PerfReference.OrdersService.Statements;

namespace PerfReference.Serialization.Benchmarks;

/// <summary>
/// Serializing a customer's statement (50 orders of 20 lines) to UTF-8 JSON: the naive endpoint's
/// entity graph through reflection, the projection through reflection (to separate the two causes),
/// and the optimized endpoint's projection through the source-generated context.
/// </summary>
[MemoryDiagnoser]
public class StatementSerializationBenchmarks
{
    /// <summary>The orders API's reflection-based options (web defaults, enums as strings).</summary>
    public static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private StatementEntities _entities = null!;
    private CustomerStatement _statement = null!;

    [GlobalSetup]
    public void Setup() => (_entities, _statement) = StatementSample.Create(orders: 50, linesPerOrder: 20);

    [Benchmark(Baseline = true, Description = "naive: entity graph, reflection")]
    public byte[] EntityGraphWithReflection() => JsonSerializer.SerializeToUtf8Bytes(_entities, ApiJson);

    [Benchmark(Description = "projection, reflection")]
    public byte[] ProjectionWithReflection() => JsonSerializer.SerializeToUtf8Bytes(_statement, ApiJson);

    [Benchmark(Description = "optimized: projection, source-generated")]
    public byte[] ProjectionSourceGenerated() => JsonSerializer.SerializeToUtf8Bytes(_statement, StatementJsonContext.Default.CustomerStatement);
}
