// eBPF helper function ids (Linux include/uapi/linux/bpf.h, `enum bpf_func_id`), for the
// helpers bpfscope's programs call. Codegen emits `call id`; the VM and verifier dispatch
// on the same ids; the disassembler prints `call id` as llvm-objdump does.

export const enum Helper {
  map_lookup_elem = 1,
  map_update_elem = 2,
  map_delete_elem = 3,
  probe_read = 4,
  ktime_get_ns = 5,
  trace_printk = 6,
  get_prandom_u32 = 7,
  get_smp_processor_id = 8,
  tail_call = 12,
  get_current_pid_tgid = 14,
  get_current_uid_gid = 15,
  get_current_comm = 16,
  perf_event_output = 25,
  get_stackid = 27,
  get_current_task = 35,
  probe_read_str = 45,
  get_numa_node_id = 42,
  send_signal = 109,
  get_current_cgroup_id = 80,
  probe_read_user = 112,
  probe_read_kernel = 113,
  probe_read_user_str = 114,
  probe_read_kernel_str = 115,
  ktime_get_boot_ns = 125,
  ringbuf_output = 130,
  for_each_map_elem = 164,
  get_func_ip = 173,
}

/** `flags` for perf_event_output: write to the current CPU's buffer. */
export const BPF_F_CURRENT_CPU = 0xffffffffn;
