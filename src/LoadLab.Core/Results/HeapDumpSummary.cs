namespace PerfReference.LoadLab.Results;

/// <summary>One type of a heap dump: the bytes and the number of its objects on the heap.</summary>
public sealed record HeapType(string Type, long Bytes, long Objects);

/// <summary>A heap dump of OrdersService taken by the lab (after a variant's phase): where it is, how big the heap was, and its largest types.</summary>
public sealed record HeapDumpSummary(string Variant, string File, long HeapBytes, long HeapObjects, IReadOnlyList<HeapType> LargestTypes);
