using KvmPS.Engine.Host;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests;

// The pinning planner on fixture hosts: the test driver's 16 CPUs in 2 cells without SMT, and a
// 2-socket host with SMT whose siblings are numbered the Linux way (0 and 4 share a core).
public class TuningPlannerTests
{
    private static HostTopology Fixture(string name) => HostTopology.FromCapabilities(HostInfoReader.ParseCapabilities(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "capabilities", name))));

    private static HostTopology TestDriver => Fixture("test-default.xml");
    private static HostTopology Smt => Fixture("smt-2socket.xml");

    private static PinPlan Plan(HostTopology host, int vcpus, KvmPinStrategy strategy = KvmPinStrategy.Spread,
        int[]? taken = null, int[]? excluded = null, bool overlap = false, int[][]? guestCells = null) =>
        PinPlanner.Plan(host, new PinRequest
        {
            VCpuCount = vcpus,
            Strategy = strategy,
            Taken = (taken ?? Array.Empty<int>()).ToHashSet(),
            Excluded = (excluded ?? Array.Empty<int>()).ToHashSet(),
            AllowOverlap = overlap,
            GuestCells = guestCells,
        });

    private static int CellOf(HostTopology host, int cpu) => host.Cpus.Single(c => c.Id == cpu).Cell;

    [Fact]
    public void Fixture_hosts_have_the_expected_shape()
    {
        Assert.Equal(16, TestDriver.Cpus.Count);
        Assert.Equal(new[] { 0, 1 }, TestDriver.CellIds);
        Assert.All(TestDriver.Cpus, c => Assert.Single(c.Siblings));
        Assert.Equal(8, Smt.Cpus.Count);
        Assert.Equal(new[] { 0, 4 }, Smt.Cpus.Single(c => c.Id == 4).Siblings);
        Assert.Equal(1, Smt.MapLength);
        Assert.Equal(2, TestDriver.MapLength);
    }

    [Fact]
    public void A_vm_that_fits_in_one_cell_stays_in_it_and_the_emulator_gets_a_free_cpu_beside_it()
    {
        PinPlan p = Plan(TestDriver, 4);
        Assert.Equal(new[] { 0, 1, 2, 3 }, p.VCpuHostCpu);
        Assert.Equal(new[] { 4 }, p.EmulatorCpus);
        Assert.Equal(new[] { 0 }, p.HostCells);
        Assert.Empty(p.Warnings);
        Assert.Empty(p.Notes);
    }

    [Fact]
    public void A_vm_that_fills_a_cell_stays_in_it_and_its_emulator_goes_to_the_other_cell()
    {
        PinPlan p = Plan(TestDriver, 8);
        Assert.Equal(Enumerable.Range(0, 8), p.VCpuHostCpu);
        Assert.Equal(new[] { 8 }, p.EmulatorCpus);
        Assert.DoesNotContain(p.EmulatorCpus[0], p.VCpuHostCpu);
    }

    [Fact]
    public void A_vm_larger_than_any_cell_spans_cells_and_says_so()
    {
        PinPlan p = Plan(TestDriver, 10);
        Assert.Equal(10, p.VCpuHostCpu.Distinct().Count());
        Assert.Equal(2, p.VCpuHostCpu.Select(c => CellOf(TestDriver, c)).Distinct().Count());
        Assert.Contains(p.Warnings, w => w.Contains("span", StringComparison.Ordinal));
        Assert.DoesNotContain(p.EmulatorCpus[0], p.VCpuHostCpu);
    }

    [Fact]
    public void A_second_vm_does_not_get_the_first_vms_cpus()
    {
        PinPlan first = Plan(TestDriver, 4);
        PinPlan second = Plan(TestDriver, 4, taken: first.VCpuHostCpu);
        Assert.Empty(first.VCpuHostCpu.Intersect(second.VCpuHostCpu));
        // The roomier cell: cell 1 has 8 free cores, cell 0 only 4.
        Assert.All(second.VCpuHostCpu, c => Assert.Equal(1, CellOf(TestDriver, c)));
        Assert.Equal(new[] { 8, 9, 10, 11 }, second.VCpuHostCpu);
    }

    [Fact]
    public void AllowOverlap_ignores_other_vms_pins()
    {
        PinPlan p = Plan(TestDriver, 4, taken: new[] { 0, 1, 2, 3 }, overlap: true);
        Assert.Equal(new[] { 0, 1, 2, 3 }, p.VCpuHostCpu);
    }

    [Fact]
    public void Excluded_cpus_are_never_used_not_even_for_the_emulator()
    {
        int[] excluded = { 0, 4, 8, 12 };
        PinPlan p = Plan(TestDriver, 6, excluded: excluded);
        Assert.Empty(p.VCpuHostCpu.Intersect(excluded));
        Assert.DoesNotContain(p.EmulatorCpus[0], excluded);
        Assert.Single(p.VCpuHostCpu.Select(c => CellOf(TestDriver, c)).Distinct());
    }

    [Fact]
    public void Too_few_free_cpus_is_refused_with_the_reason()
    {
        var e = Assert.Throws<TuningException>(() => Plan(TestDriver, 17));
        Assert.Equal("NotEnoughHostCpus", e.ErrorId);
        Assert.Equal(TuningErrorKind.ResourceUnavailable, e.Kind);

        e = Assert.Throws<TuningException>(() => Plan(TestDriver, 4, taken: Enumerable.Range(0, 14).ToArray()));
        Assert.Contains("AllowOverlap", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Guest_numa_cells_land_in_different_host_cells()
    {
        PinPlan p = Plan(TestDriver, 8, guestCells: new[] { new[] { 0, 1, 2, 3 }, new[] { 4, 5, 6, 7 } });
        Assert.All(p.VCpuHostCpu[..4], c => Assert.Equal(0, CellOf(TestDriver, c)));
        Assert.All(p.VCpuHostCpu[4..], c => Assert.Equal(1, CellOf(TestDriver, c)));
        Assert.Equal(new[] { 0, 1 }, p.HostCells);
    }

    [Fact]
    public void Spread_puts_each_vcpu_on_its_own_physical_core()
    {
        PinPlan p = Plan(Smt, 2);
        Assert.Equal(new[] { 0, 1 }, p.VCpuHostCpu);
        var cores = p.VCpuHostCpu.Select(c => Smt.Cpus.Single(x => x.Id == c).CoreKey).ToList();
        Assert.Equal(2, cores.Distinct().Count());
        Assert.Empty(p.Warnings);
        // Cell 0 has no CPU left off the vCPUs' cores: the emulator takes a sibling in the same cell
        // rather than leave the vCPUs' memory node.
        Assert.Equal(new[] { 4 }, p.EmulatorCpus);
    }

    [Fact]
    public void Compact_fills_sibling_threads_first()
    {
        PinPlan p = Plan(Smt, 2, KvmPinStrategy.Compact);
        Assert.Equal(new[] { 0, 4 }, p.VCpuHostCpu);
        // The emulator goes to a core without vCPUs.
        Assert.Equal(new[] { 1 }, p.EmulatorCpus);
    }

    [Fact]
    public void Spread_keeps_a_vm_in_its_cell_and_uses_siblings_only_when_the_cell_has_too_few_cores()
    {
        PinPlan p = Plan(Smt, 4);
        Assert.Equal(new[] { 0, 1, 4, 5 }, p.VCpuHostCpu.OrderBy(c => c));
        Assert.Equal(new[] { 0, 1, 4, 5 }, p.VCpuHostCpu);   // first threads of both cores, then the siblings
        Assert.Contains(p.Warnings, w => w.Contains("SMT", StringComparison.Ordinal));
        Assert.Equal(1, CellOf(Smt, p.EmulatorCpus[0]));
    }

    [Fact]
    public void Spread_prefers_a_cell_whose_cores_are_free_over_one_whose_core_is_half_taken()
    {
        // Another VM holds CPU 0: in cell 0 only core {1,5} is whole; cell 1 has two whole cores.
        PinPlan p = Plan(Smt, 2, taken: new[] { 0 });
        Assert.Equal(new[] { 2, 3 }, p.VCpuHostCpu);
        Assert.DoesNotContain(0, p.VCpuHostCpu);
    }

    [Fact]
    public void Compact_packs_into_the_tightest_cell_and_prefers_whole_cores()
    {
        PinPlan p = Plan(Smt, 2, KvmPinStrategy.Compact, taken: new[] { 0 });
        Assert.Equal(new[] { 1, 5 }, p.VCpuHostCpu);
    }

    [Fact]
    public void Two_spread_vms_on_the_smt_host_share_no_cpu()
    {
        PinPlan a = Plan(Smt, 2);
        PinPlan b = Plan(Smt, 2, taken: a.VCpuHostCpu);
        Assert.Empty(a.VCpuHostCpu.Intersect(b.VCpuHostCpu));
        Assert.Equal(new[] { 2, 3 }, b.VCpuHostCpu);
    }

    [Fact]
    public void On_a_two_cpu_host_the_emulator_shares_the_vcpus_cpus()
    {
        var host = HostTopology.FromNodeLayout(new NodeLayout(1, 1, 2, 1));
        PinPlan p = Plan(host, 2);
        Assert.Equal(new[] { 0, 1 }, p.VCpuHostCpu);
        Assert.Equal(new[] { 0, 1 }, p.EmulatorCpus);
        Assert.Single(p.Notes);
        // With one vCPU there is a free CPU for the emulator.
        Assert.Equal(new[] { 1 }, Plan(host, 1).EmulatorCpus);
    }

    [Fact]
    public void A_layout_inferred_from_node_info_numbers_siblings_as_linux_does()
    {
        var inferred = HostTopology.FromNodeLayout(new NodeLayout(2, 1, 2, 2));
        Assert.True(inferred.Inferred);
        Assert.Equal(
            Smt.Cpus.Select(c => (c.Id, c.Cell, string.Join(",", c.Siblings))),
            inferred.Cpus.Select(c => (c.Id, c.Cell, string.Join(",", c.Siblings))));
        Assert.Equal(Plan(Smt, 3).VCpuHostCpu, Plan(inferred, 3).VCpuHostCpu);
    }

    [Fact]
    public void Host_cpus_are_checked_against_the_host()
    {
        Assert.Equal(new[] { 2, 3, 8 }, TestDriver.ParseHostCpus("2-3,8", "-HostCpu"));
        Assert.Equal("HostCpuNotFound", Assert.Throws<TuningException>(() => TestDriver.ParseHostCpus("15-16", "-HostCpu")).ErrorId);
        Assert.Equal("InvalidCpuSet", Assert.Throws<TuningException>(() => TestDriver.ParseHostCpus("3-1", "-HostCpu")).ErrorId);
        Assert.Equal("InvalidCpuSet", Assert.Throws<TuningException>(() => TestDriver.ParseHostCpus("x", "-HostCpu")).ErrorId);
    }
}
