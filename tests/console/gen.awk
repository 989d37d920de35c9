# Write n presences as `presence-console export` would (JSON Lines, in id
# order, numbered in steps of 0x10000 as writes are), for import tests and
# the benchmark:  awk -v n=1000 -f gen.awk
BEGIN {
	if (n == "")
		n = 1000
	split("Available AvailableIdle Away BeRightBack Busy BusyIdle " \
	    "DoNotDisturb Offline PresenceUnknown", avail, " ")
	split("Available Away BeRightBack Busy DoNotDisturb InACall " \
	    "InAConferenceCall Inactive InAMeeting Offline OffWork " \
	    "OutOfOffice PresenceUnknown Presenting UrgentInterruptionsOnly",
	    act, " ")
	for (i = 1; i <= n; i++) {
		id = sprintf("%08x-%04x-4%03x-%04x-%012x", i, i % 65536,
		    i % 4096, 32768 + i % 16384, i)
		t = sprintf("2026-11-28T%02d:%02d:%02d.%03dZ",
		    int(i / 3600000) % 24, int(i / 60000) % 60,
		    int(i / 1000) % 60, i % 1000)
		printf "{\"@odata.type\":\"#microsoft.graph.presence\"," \
		    "\"id\":\"%s\",\"availability\":\"%s\"," \
		    "\"activity\":\"%s\",\"sequenceNumber\":\"%012x0000\"," \
		    "\"createdDateTime\":\"%s\",\"lastModifiedDateTime\":\"%s\"}\n",
		    id, avail[1 + i % 9], act[1 + i % 15], i, t, t
	}
}
