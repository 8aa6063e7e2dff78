# bash completion for jerry(1)                              -*- shell-script -*-
#
# The commands and options follow the command table in src/cli/commands.c;
# change both together (and doc/jerry.1, completions/_jerry).
# Item IDs come from `jerry list --all --json` in the current store.

_jerry_ids()
{
	jerry ${_jerry_data:+--data "$_jerry_data"} list --all --json 2>/dev/null |
		sed -n 's/^[[:space:]]*"id":[[:space:]]*"\(WORK-[0-9]*\)".*/\1/p'
}

_jerry()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		COMPREPLY=()
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands="init create show list update start block done cancel reopen note check reindex
		claim heartbeat release dep ready blocked search summary prime history log mcp serve merge-file git sync export import help"
	local global_opts="--json --data --lock-timeout --as --exact-time --help --version"
	local types="epic feature story task subtask bug spike"
	local priorities="critical high medium low"
	local statuses="pending in_progress blocked done cancelled"
	local sorts="id priority updated created status title"
	local leases="90s 30m 1h 2h"
	local spans="1h 1d 1w"

	# The command is the first word that is not a global option or its value.
	local i cmd="" nargs=0 _jerry_data=""
	for ((i = 1; i < cword; i++)); do
		[[ ${words[i]} == --data ]] && _jerry_data=${words[i + 1]}
		case ${words[i]} in
		--data | --lock-timeout | --as | --claim | -t | --type | -p | --priority | -l | --label | \
		-d | --description | --parent | --assignee | -s | --status | --sort | \
		-n | --limit | --title | --add-label | --remove-label | --if-version | \
		-r | --reason | --lease | --on | --since | --skip | --by | --item | --port | --listen | \
		-o | --output | --from | --timeout)
			((i++))
			;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=${words[i]}
			else
				((nargs++))
			fi
			;;
		esac
	done

	# Values of options.
	case $prev in
	--data)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-o | --output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--from)
		COMPREPLY=($(compgen -W "jerry beads taskwarrior github backlog" -- "$cur"))
		return
		;;
	--lock-timeout | --if-version | --limit | -n | --title | --reason | -r | \
	--as | --claim | --assignee | --label | -l | --add-label | --remove-label | --by | \
	--port | --listen)
		return
		;;
	-t | --type)
		COMPREPLY=($(compgen -W "$types" -- "$cur"))
		return
		;;
	-p | --priority)
		COMPREPLY=($(compgen -W "$priorities" -- "$cur"))
		return
		;;
	-s | --status)
		if [[ $cmd == list ]]; then
			# A comma-separated list: complete the last element.
			local head="" tail=$cur
			if [[ $cur == *,* ]]; then
				head=${cur%,*},
				tail=${cur##*,}
			fi
			COMPREPLY=($(compgen -P "$head" -W "$statuses" -- "$tail"))
		else
			COMPREPLY=($(compgen -W "$statuses" -- "$cur"))
		fi
		return
		;;
	--sort)
		COMPREPLY=($(compgen -W "$sorts" -- "$cur"))
		return
		;;
	--parent | --on | --item | --skip)
		COMPREPLY=($(compgen -W "$(_jerry_ids)" -- "$cur"))
		return
		;;
	--lease)
		COMPREPLY=($(compgen -W "$leases" -- "$cur"))
		return
		;;
	--since)
		COMPREPLY=($(compgen -W "$spans" -- "$cur"))
		return
		;;
	-d | --description)
		COMPREPLY=($(compgen -W "-" -- "$cur"))
		return
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local opts="" takes_id=0
	case $cmd in
	init | show | reindex | blocked | prime | history | mcp) ;;
	merge-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
		return
		;;
	sync)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global_opts --timeout" -- "$cur"))
		elif ((nargs == 0)); then
			COMPREPLY=($(compgen -W "$(git remote 2>/dev/null)" -- "$cur"))
		fi
		return
		;;
	git)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
		elif ((nargs == 0)); then
			COMPREPLY=($(compgen -W "setup" -- "$cur"))
		fi
		return
		;;
	release)
		opts="--force --claim"
		;;
	create)
		opts="--type --priority --label --description --parent --assignee"
		;;
	list)
		opts="--status --type --label --any-label --assignee --priority --parent --all --sort --limit
		      --tree"
		;;
	import)
		opts="--from --dry-run"
		[[ $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; }
		;;
	export)
		opts="--status --type --label --any-label --assignee --priority --parent --all --history
		      --output"
		;;
	update)
		opts="--title --description --type --priority --status --assignee --add-label
		      --remove-label --parent --if-version --force"
		;;
	cancel)
		opts="--reason --cascade --if-version --force --claim"
		;;
	done)
		opts="--reason --if-version --force --claim"
		;;
	start | reopen)
		opts="--if-version --force --claim"
		;;
	block)
		opts="--reason --if-version --force --claim"
		;;
	note)
		opts="--if-version"
		;;
	check)
		opts="--repair"
		;;
	claim)
		opts="--next --type --label --any-label --containers --skip --any --lease --force"
		;;
	heartbeat)
		opts="--lease --claim"
		;;
	dep)
		# dep add|rm ID --on OTHER, dep tree ID
		if [[ $nargs -eq 0 && $cur != -* ]]; then
			COMPREPLY=($(compgen -W "add rm tree" -- "$cur"))
			return
		fi
		local sub
		for ((i = 1; i < cword; i++)); do
			case ${words[i]} in
			add | rm | remove | tree) sub=${words[i]}; break ;;
			esac
		done
		[[ $sub != tree ]] && opts="--on"
		if [[ $cur != -* && $nargs -eq 1 ]]; then
			COMPREPLY=($(compgen -W "$(_jerry_ids)" -- "$cur"))
			return
		fi
		;;
	ready)
		opts="--type --label --any-label --containers --limit --assignee --mine --unassigned"
		;;
	search)
		opts="--all"
		;;
	summary)
		opts="--since"
		;;
	log)
		opts="--since --by --item --limit"
		;;
	serve)
		opts="--port --listen --open"
		;;
	help)
		[[ $nargs -eq 0 ]] && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return
		;;
	*) return ;;
	esac
	case $cmd in
	show | update | start | block | done | cancel | reopen | note | claim | heartbeat | release | \
	history) takes_id=1 ;;
	esac
	# These take several IDs: an ID at every position.
	case $cmd in
	start | block | done | cancel | reopen | heartbeat | release) nargs=0 ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $global_opts" -- "$cur"))
	elif [[ $takes_id -eq 1 && $nargs -eq 0 ]]; then
		COMPREPLY=($(compgen -W "$(_jerry_ids)" -- "$cur"))
	fi
} &&
	complete -F _jerry jerry

# ex: filetype=sh
