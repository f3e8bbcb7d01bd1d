import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  mark: {
    fill: '#7df3e1',
  },
});

/** The Careplane care cross, for the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 40 40"
      role="img"
      aria-label="Careplane"
    >
      <path
        className={classes.mark}
        d="M14 2h12v12h12v12H26v12H14V26H2V14h12z"
      />
    </svg>
  );
};
