using System.Text.Json;
using System.Text.Json.Serialization;
using PerfReference.LoadLab.Drills;
using PerfReference.LoadLab.Scenarios;
using PerfReference.LoadLab.Serve;

namespace PerfReference.LoadLab.Results;

/// <summary>Every JSON the lab reads or writes, source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(CheckoutBody))]
[JsonSerializable(typeof(ReservationBody))]
[JsonSerializable(typeof(StockBody))]
[JsonSerializable(typeof(Topology.RunRequest))]
[JsonSerializable(typeof(RunStatus))]
[JsonSerializable(typeof(DrillResult))]
[JsonSerializable(typeof(Topology.DrillRequest))]
[JsonSerializable(typeof(Topology.RecordHeadline[]))]
[JsonSerializable(typeof(PerfReference.LoadLab.Runtime.ServiceSample))]
[JsonSerializable(typeof(Capacity.CapacityResult))]
[JsonSerializable(typeof(Sweep.SweepResult))]
[JsonSerializable(typeof(Ceiling.CeilingResult))]
public sealed partial class LabJsonContext : JsonSerializerContext;
