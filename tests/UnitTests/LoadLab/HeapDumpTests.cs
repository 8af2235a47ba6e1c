using PerfReference.LoadLab.Profiling;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The lab reads dotnet-gcdump's report: the heap's totals and the types that hold it, largest first.</summary>
public sealed class HeapDumpTests
{
    private const string Report = """
              1,870,028  GC Heap bytes
                 26,741  GC Heap objects

           Object Bytes     Count  Type
                 64,074         1  System.String (Bytes > 10K)  [System.Private.CoreLib.dll]
                     56   500,000  PerfReference.OrdersService.Products.ProductSummary  [PerfReference.OrdersService.dll]
                     22 1,529,905  System.String  [System.Private.CoreLib.dll]
                 33,700         2  System.Int32[] (Bytes > 10K)  [System.Private.CoreLib.dll]
                  8,024         1  System.ValueTuple<System.Object,System.String>[] (Bytes > 1K)  [System.Private.CoreLib.dll]
                  7,904         1  Entry<System.String,System.Int32>[] (Bytes > 1K)  [System.Private.CoreLib.dll]
                  6,216         1  Entry<System.Int32,System.IntPtr>[] (Bytes > 1K)  [System.Private.CoreLib.dll]
                  4,120         5  WatchedDirectory[] (Bytes > 1K)  [System.IO.FileSystem.Watcher.dll]
        """;

    [Fact]
    public void TheTotalsAndTheLargestTypesAreRead()
    {
        var dump = HeapDump.Parse("naive", "/tmp/x.gcdump", Report);

        Assert.Equal((1_870_028, 26_741), (dump.HeapBytes, dump.HeapObjects));
        Assert.Equal(HeapDump.LargestTypes, dump.LargestTypes.Count);
        // Mean size × count, summed over a type's size buckets: strings 22 × 1,529,905 + 64,074 × 1.
        Assert.Equal(new HeapType("System.String", 33_721_984, 1_529_906), dump.LargestTypes[0]);
        Assert.Equal(new HeapType("PerfReference.OrdersService.Products.ProductSummary", 28_000_000, 500_000), dump.LargestTypes[1]);
        Assert.DoesNotContain(dump.LargestTypes, t => t.Type == "Entry<System.Int32,System.IntPtr>[]"); // the 7th largest
    }
}
