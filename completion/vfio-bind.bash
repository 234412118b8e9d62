# bash completion for vfio-bind(8): commands, options, and the addresses, IDs and selectors
# of this machine (from `vfio-bind list` and `vfio-bind config`, with the path options given
# on the line so far, e.g. --root).

_vfio_bind()
{
	local cur prev cmd i w
	local -a paths=()
	local cmds="boot hotplug status list suggest check claim release add remove config"
	local pathopts="--root --sysfs --proc --cmdline --cmdline-dir --kmsg --moddir --config"

	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ " $pathopts " == *" $w "* ]]; then
			paths+=("$w" "${COMP_WORDS[i+1]}")
			((i++))
		elif [[ -z $cmd && $w != -* ]]; then
			cmd=$w
		fi
	done

	if [[ " $pathopts " == *" $prev "* ]]; then
		case $prev in
		--root|--sysfs|--proc|--cmdline-dir|--moddir)
			COMPREPLY=($(compgen -d -- "$cur")) ;;
		*)
			COMPREPLY=($(compgen -f -- "$cur")) ;;
		esac
		return
	fi

	if [[ $cur == -* ]]; then
		local opts="$pathopts --help --version"
		case $cmd in
		'') opts="$opts --dry-run --json --force --no-rebuild --next-boot" ;;
		boot) opts="$opts --dry-run" ;;
		status|list|config) opts="$opts --json" ;;
		check) opts="$opts --json --next-boot" ;;
		claim|release) opts="$opts --force --dry-run" ;;
		add) opts="$opts --force --dry-run --no-rebuild" ;;
		remove) opts="$opts --dry-run --no-rebuild" ;;
		esac
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi

	case $cmd in
	'')
		COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
	claim|release|hotplug)
		COMPREPLY=($(compgen -W "$(vfio-bind "${paths[@]}" list 2>/dev/null |
			awk 'NR > 1 { a = $1; sub(/^0000:/, "", a); print a }')" -- "$cur")) ;;
	suggest|add)
		# addresses, their slots and the IDs found there
		COMPREPLY=($(compgen -W "$(vfio-bind "${paths[@]}" list 2>/dev/null |
			awk 'NR > 1 { a = $1; sub(/^0000:/, "", a); print a; sub(/\.[0-7]$/, "", a)
				print a; print $3 }' | sort -u)" -- "$cur")) ;;
	remove)
		COMPREPLY=($(compgen -W "$(vfio-bind "${paths[@]}" config 2>/dev/null |
			awk '/^  [^ ]/ { print $1 }')" -- "$cur")) ;;
	esac
}
complete -F _vfio_bind vfio-bind
